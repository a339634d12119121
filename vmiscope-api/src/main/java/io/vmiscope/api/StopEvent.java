package io.vmiscope.api;

/**
 * Why the VM stopped.
 *
 * @param reason the kind of stop
 * @param vcpu   the vCPU that caused it (for the GDB stub, its thread id), or -1 when unknown
 * @param signal the stop signal number reported by the hypervisor (5 = SIGTRAP), or -1
 */
public record StopEvent(Reason reason, int vcpu, int signal) {

    public enum Reason {
        /** Stopped on request (pause / interrupt). */
        REQUESTED,
        /** A breakpoint or single step trapped. */
        TRAP,
        /** The guest exited or the hypervisor terminated it. */
        EXITED
    }
}
