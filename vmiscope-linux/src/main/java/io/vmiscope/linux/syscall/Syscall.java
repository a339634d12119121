package io.vmiscope.linux.syscall;

import io.vmiscope.api.Hex;

import java.util.OptionalInt;
import java.util.Set;

/**
 * One system call of one kernel: where its entry function is.
 *
 * @param name    the call's name as user space knows it ({@code "stat"}, {@code "umount2"})
 * @param number  its x86-64 number, empty for ia32 entries and for entry functions the x86-64 table
 *                does not list (compatibility variants such as {@code "chown16"})
 * @param abi     which entry path calls it
 * @param symbol  the entry function ({@code "__x64_sys_newstat"}); a breakpoint there sees
 *                {@code rdi} = {@code struct pt_regs *}
 * @param address the symbol's link-time address (add the KASLR slide for the live address)
 * @param groups  strace-like groups ({@link SyscallGroup}); empty for ia32 entries
 */
public record Syscall(String name, OptionalInt number, Abi abi, String symbol, long address, Set<SyscallGroup> groups) {

    /** The entry path of a system call. */
    public enum Abi {
        /** 64-bit {@code syscall} instruction: {@code __x64_sys_<name>}. */
        X64,
        /** 32-bit {@code int 0x80} with native arguments: {@code __ia32_sys_<name>}. */
        IA32,
        /** 32-bit with compat argument conversion: {@code __ia32_compat_sys_<name>}. */
        IA32_COMPAT
    }

    public Syscall {
        groups = Set.copyOf(groups);
    }

    @Override
    public String toString() {
        return name + (number.isPresent() ? "#" + number.getAsInt() : "") + " " + symbol + " @ " + Hex.address(address);
    }
}
