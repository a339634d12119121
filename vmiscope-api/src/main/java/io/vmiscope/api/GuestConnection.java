package io.vmiscope.api;

/**
 * Everything a driver offers for one attached VM. Closing it removes every breakpoint it inserted,
 * resumes the VM and detaches, whatever state the session was left in.
 */
public interface GuestConnection extends PhysicalMemory, VcpuState, ExecutionControl, BreakpointControl,
        AutoCloseable {

    /**
     * Resumes every vCPU with {@code vcpu}'s instruction pointer set to {@code rip} first: how a hook
     * steps over the no-op under its breakpoint. The default writes the register, then resumes; a driver
     * that can do both in one message (the GDB protocol's {@code c addr}) saves the round trip between.
     * The VM must be stopped.
     */
    default void resumeAt(int vcpu, long rip) {
        setRegister(vcpu, "rip", rip);
        resume();
    }

    @Override
    void close();
}
