package io.vmiscope.api;

/**
 * Everything a driver offers for one attached VM. Closing it removes every breakpoint it inserted,
 * resumes the VM and detaches, whatever state the session was left in.
 */
public interface GuestConnection extends PhysicalMemory, VcpuState, ExecutionControl, BreakpointControl,
        AutoCloseable {

    @Override
    void close();
}
