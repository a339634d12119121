package io.vmiscope.linux.syscall;

/**
 * A system call's return value as strace shows it: an error as {@code -1 ENOENT (No such file or
 * directory)} (the C library's view: −1 and errno), a pointer in hex ({@code mmap}), anything else in
 * decimal (a new descriptor, a byte count, 0).
 */
public final class ReturnFormatter {

    private ReturnFormatter() {
    }

    /** Formats {@code ret} (the {@code rax} value at return) of {@code syscall}. */
    public static String format(String syscall, long ret) {
        return format(SyscallSignature.of(syscall).returns(), ret);
    }

    /** Formats {@code ret} as a value of {@code kind}. */
    public static String format(ReturnKind kind, long ret) {
        if (ErrnoNames.isError(ret)) {
            String name = ErrnoNames.name(ret).orElse("errno " + -ret);
            return "-1 " + name + ErrnoNames.description(ret).map(d -> " (" + d + ")").orElse("");
        }
        return kind == ReturnKind.POINTER ? "0x" + Long.toHexString(ret) : String.valueOf(ret);
    }
}
