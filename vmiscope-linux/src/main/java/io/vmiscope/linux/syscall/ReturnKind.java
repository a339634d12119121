package io.vmiscope.linux.syscall;

/** What a successful return value of a system call is, for {@link ReturnFormatter}. */
public enum ReturnKind {
    /** A new file descriptor. */
    FD,
    /** A byte count. */
    SIZE,
    /** An integer (often just 0 for success). */
    INT,
    /** An address ({@code mmap}, {@code brk}): shown in hex. */
    POINTER
}
