package io.vmiscope.detect.anomaly;

import io.vmiscope.events.SyscallEvent;

/**
 * The one numbering of syscalls that models use. Data sets give numbers of their own platform's table
 * ({@value #MAX_NUMBER} at most); live events give the x86-64 number, a 32-bit call ({@code ia32}) its own
 * table's number moved past the x86-64 range, and a call of unknown number a value derived from its name.
 * Numbers from different tables never meet in one model, so they never need to agree.
 */
public final class Syscalls {

    /** The highest syscall number a trace file may hold. */
    public static final int MAX_NUMBER = 4095;
    private static final int IA32_BASE = MAX_NUMBER + 1;
    private static final int BY_NAME_BASE = 2 * IA32_BASE;

    private Syscalls() {
    }

    /** The number a model uses for a live or imported syscall event. */
    public static int of(SyscallEvent event) {
        return of(event.number(), event.abi(), event.name());
    }

    /** The number a model uses for a syscall of this number ({@code -1} when unknown), entry path and name. */
    static int of(int number, String abi, String name) {
        if (number < 0 || number > MAX_NUMBER) {
            return BY_NAME_BASE + (String.valueOf(name).hashCode() & MAX_NUMBER);
        }
        return "ia32".equals(abi) ? IA32_BASE + number : number;
    }
}
