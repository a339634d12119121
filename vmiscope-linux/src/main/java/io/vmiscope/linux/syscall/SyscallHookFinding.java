package io.vmiscope.linux.syscall;

import io.vmiscope.api.Hex;

/**
 * A {@code sys_call_table} entry that does not point at the function this kernel build puts there:
 * the classic sign of a rootkit that hooks system calls by overwriting the table.
 *
 * @param number         the system-call number (the table index)
 * @param expectedSymbol the entry function the profile says belongs there ({@code "__x64_sys_ni_syscall"}
 *                       for numbers this kernel does not implement)
 * @param actualAddress  the live pointer found in the table (slid)
 * @param actualSymbol   the profile symbol at or below the pointer ({@code "name"} or {@code "name+0x10"}),
 *                       or {@code null} when it points outside the kernel image (module space,
 *                       user space, garbage)
 */
public record SyscallHookFinding(int number, String expectedSymbol, long actualAddress, String actualSymbol) {

    @Override
    public String toString() {
        return "sys_call_table[" + number + "] points to " + Hex.address(actualAddress)
                + (actualSymbol == null ? " (outside the kernel image)" : " (" + actualSymbol + ")")
                + ", expected " + expectedSymbol;
    }
}
