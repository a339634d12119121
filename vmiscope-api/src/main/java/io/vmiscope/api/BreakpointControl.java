package io.vmiscope.api;

/**
 * Inserts breakpoints into the guest. A breakpoint lives as long as its handle: closing the handle
 * removes it (idempotent). Implementations also remove every breakpoint they inserted when they are
 * closed themselves.
 */
public interface BreakpointControl {

    enum Kind {
        /** Patched into guest code by the hypervisor (unlimited count). */
        SOFTWARE,
        /** A debug register (x86 has four). */
        HARDWARE
    }

    /**
     * @throws GuestAccessException when the hypervisor refuses the address
     */
    Breakpoint insert(Gva address, Kind kind);

    /** A handle whose lifetime is the breakpoint's. */
    interface Breakpoint extends AutoCloseable {
        Gva address();

        Kind kind();

        /** Removes the breakpoint; further calls do nothing. */
        @Override
        void close();
    }
}
