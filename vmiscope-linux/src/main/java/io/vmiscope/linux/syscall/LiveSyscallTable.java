package io.vmiscope.linux.syscall;

import java.util.List;

/**
 * What the guest's {@code sys_call_table} holds, resolved against the profile
 * ({@link SyscallTable#verifyLive}).
 *
 * @param entries  one per table slot, in number order
 * @param findings the slots that point elsewhere than expected; empty for an untouched table
 */
public record LiveSyscallTable(List<Entry> entries, List<SyscallHookFinding> findings) {

    public LiveSyscallTable {
        entries = List.copyOf(entries);
        findings = List.copyOf(findings);
    }

    /** True when every slot points where this kernel build puts it. */
    public boolean isIntact() {
        return findings.isEmpty();
    }

    /**
     * One slot of the table.
     *
     * @param number         the system-call number
     * @param address        the live pointer (slid)
     * @param symbol         the profile symbol it points to ({@code "name"}, or {@code "name+0x10"} when
     *                       not at a symbol's start), or {@code null} outside the kernel image
     * @param expectedSymbol the symbol that belongs there
     */
    public record Entry(int number, long address, String symbol, String expectedSymbol) {

        /** True when the slot points exactly at its expected function. */
        public boolean isExpected() {
            return expectedSymbol.equals(symbol);
        }
    }
}
