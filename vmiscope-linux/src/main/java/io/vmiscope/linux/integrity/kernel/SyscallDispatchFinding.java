package io.vmiscope.linux.integrity.kernel;

import io.vmiscope.api.Hex;

/**
 * A system-call number that {@code x64_sys_call}'s switch does not send to the function this kernel
 * build puts there: a branch of the switch redirected, or code in it that is not a switch any more.
 *
 * @param number         the system-call number
 * @param address        where the branch leads (live), or where decoding stopped
 * @param actualSymbol   the kernel symbol at or below {@code address}, or {@code null} outside the image
 * @param expectedSymbol the entry function for {@code number} ({@code __x64_sys_ni_syscall} when unimplemented)
 * @param problem        why decoding stopped, or {@code ""} when a branch target was found
 */
public record SyscallDispatchFinding(int number, long address, String actualSymbol, String expectedSymbol,
                                     String problem) {

    @Override
    public String toString() {
        String where = Hex.address(address) + (actualSymbol == null ? " (outside the kernel image)" : " (" + actualSymbol + ")");
        return "x64_sys_call case " + number + (problem.isEmpty() ? " branches to " + where
                : " cannot be followed: " + problem + " at " + where) + ", expected " + expectedSymbol;
    }
}
