package io.vmiscope.linux.syscall;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Classes of system calls, as strace's {@code -e trace=%file} and friends group them. A call may
 * belong to several groups ({@code openat} is {@link #FILE} and {@link #DESC}). The pseudo-group
 * {@code all} is handled by {@link SyscallTable#select}.
 */
public enum SyscallGroup {
    /** Takes a file name or works on files by path: {@code openat}, {@code unlink}, {@code execve}, … */
    FILE,
    /** Sockets: {@code socket}, {@code connect}, {@code sendto}, … */
    NETWORK,
    /** Process lifetime: {@code clone}, {@code execve}, {@code exit_group}, {@code wait4}, {@code kill}, … */
    PROCESS,
    /** Address-space changes: {@code mmap}, {@code mprotect}, {@code brk}, … */
    MEMORY,
    /** Inter-process communication: pipes, System V and POSIX message queues, shared memory, eventfd. */
    IPC,
    /** Works on file descriptors: {@code read}, {@code write}, {@code close}, {@code dup}, … */
    DESC,
    /** Signal handling: {@code rt_sigaction}, {@code kill}, {@code tgkill}, … */
    SIGNAL;

    /** The name used in selection specs: the constant in lower case ({@code "file"}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The group with this {@link #label()}. */
    public static Optional<SyscallGroup> fromLabel(String label) {
        return Arrays.stream(values()).filter(g -> g.label().equals(label)).findFirst();
    }
}
