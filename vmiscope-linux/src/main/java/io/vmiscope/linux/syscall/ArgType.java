package io.vmiscope.linux.syscall;

/**
 * How to show one system-call argument. Types that point into user memory are read there (within
 * {@link DecodeLimits}); the others are formatted from the register value alone. Output buffers
 * (filled by the kernel, like {@code read}'s) are {@link #PTR}: at entry they hold nothing yet.
 */
public enum ArgType {
    /** A file descriptor ({@code int}). */
    FD,
    /** A directory descriptor for {@code *at} calls; {@code -100} is shown as {@code AT_FDCWD}. */
    DIRFD,
    /** A NUL-terminated file name in user memory, capped at {@link DecodeLimits#maxPathBytes()}. */
    PATH,
    /** Another NUL-terminated user string, capped at {@link DecodeLimits#maxStringBytes()}. */
    STRING,
    /** {@code open} flags: {@code O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC}, unknown bits as hex. */
    OPEN_FLAGS,
    /** {@code O_*} flags without an access mode ({@code pipe2}, {@code dup3}): {@code O_CLOEXEC} or {@code 0}. */
    FD_FLAGS,
    /** A file mode in octal ({@code 0644}), with the file type for {@code mknod} ({@code S_IFCHR|0600}). */
    MODE,
    /** {@code access} mode: {@code F_OK} or {@code R_OK|W_OK|X_OK}. */
    ACCESS_MODE,
    /** A {@code struct sockaddr *} whose length is another argument (see {@link SyscallSignature.Param#lengthIndex()}). */
    SOCKADDR,
    /** An {@code int *addrlen} that the call reads and updates ({@code accept}): shows the value, {@code [16]}. */
    SOCKADDR_LEN_PTR,
    /** Bytes the call reads from user memory, with their length in another argument: an escaped preview. */
    BUFFER,
    /** A NULL-terminated array of string pointers ({@code argv}): count- and size-capped. */
    ARGV,
    /** The environment array: only its entries are counted, not read (they may hold secrets). */
    ENVP,
    /** {@code clone} flags with the exit signal: {@code CLONE_VM|CLONE_FS|…|SIGCHLD}. */
    CLONE_FLAGS,
    /** A signal number: {@code SIGTERM}. */
    SIGNAL,
    /** A socket address family: {@code AF_INET}. */
    SOCKET_DOMAIN,
    /** A socket type with flags: {@code SOCK_STREAM|SOCK_CLOEXEC}. */
    SOCKET_TYPE,
    /** Socket flags alone ({@code accept4}): {@code SOCK_NONBLOCK|SOCK_CLOEXEC}. */
    SOCKET_FLAGS,
    /** A process id ({@code int}, may be negative for groups). */
    PID,
    /** A signed 32-bit integer. */
    INT,
    /** An unsigned 32-bit integer. */
    UINT,
    /** A size ({@code size_t}), unsigned 64-bit. */
    SIZE,
    /** A signed 64-bit integer ({@code off_t}, {@code long}). */
    LONG,
    /** A pointer that is not followed: {@code NULL} or hex. */
    PTR,
    /** A value shown in hex (flags without a table, unknown arguments). */
    HEX,
    /** {@code AT_*} flags: {@code AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH}. */
    AT_FLAGS,
    /** {@code mmap}/{@code mprotect} protection: {@code PROT_READ|PROT_WRITE}. */
    MMAP_PROT,
    /** {@code mmap} flags: {@code MAP_PRIVATE|MAP_ANONYMOUS}. */
    MMAP_FLAGS
}
