package io.vmiscope.linux.syscall;

import java.util.ArrayList;
import java.util.List;

/**
 * Bit-flag and enumeration tables of the x86-64 Linux ABI, and their rendering in strace's style.
 * Values are from the kernel's uapi headers (generic {@code asm-generic/fcntl.h},
 * {@code asm-generic/mman-common.h}, {@code linux/sched.h}, {@code asm/signal.h}, {@code linux/socket.h}).
 */
final class Flags {

    /** One named bit pattern: rendered when all of {@code mask} is set. */
    private record Bit(long mask, String name) {
    }

    // asm-generic/fcntl.h (octal there); O_SYNC and O_TMPFILE include O_DSYNC / O_DIRECTORY.
    private static final List<Bit> OPEN = List.of(
            new Bit(0x40, "O_CREAT"), new Bit(0x80, "O_EXCL"), new Bit(0x100, "O_NOCTTY"), new Bit(0x200, "O_TRUNC"),
            new Bit(0x400, "O_APPEND"), new Bit(0x800, "O_NONBLOCK"), new Bit(0x101000, "O_SYNC"),
            new Bit(0x1000, "O_DSYNC"), new Bit(0x2000, "O_ASYNC"), new Bit(0x4000, "O_DIRECT"),
            new Bit(0x8000, "O_LARGEFILE"), new Bit(0x410000, "O_TMPFILE"), new Bit(0x10000, "O_DIRECTORY"),
            new Bit(0x20000, "O_NOFOLLOW"), new Bit(0x40000, "O_NOATIME"), new Bit(0x80000, "O_CLOEXEC"),
            new Bit(0x200000, "O_PATH"));
    private static final String[] ACCESS_MODES = {"O_RDONLY", "O_WRONLY", "O_RDWR"};

    // linux/fcntl.h
    private static final List<Bit> AT = List.of(
            new Bit(0x100, "AT_SYMLINK_NOFOLLOW"), new Bit(0x200, "AT_REMOVEDIR"), new Bit(0x400, "AT_SYMLINK_FOLLOW"),
            new Bit(0x800, "AT_NO_AUTOMOUNT"), new Bit(0x1000, "AT_EMPTY_PATH"), new Bit(0x2000, "AT_STATX_FORCE_SYNC"),
            new Bit(0x4000, "AT_STATX_DONT_SYNC"), new Bit(0x8000, "AT_RECURSIVE"));

    // linux/sched.h
    private static final List<Bit> CLONE = List.of(
            new Bit(0x100, "CLONE_VM"), new Bit(0x200, "CLONE_FS"), new Bit(0x400, "CLONE_FILES"),
            new Bit(0x800, "CLONE_SIGHAND"), new Bit(0x1000, "CLONE_PIDFD"), new Bit(0x2000, "CLONE_PTRACE"),
            new Bit(0x4000, "CLONE_VFORK"), new Bit(0x8000, "CLONE_PARENT"), new Bit(0x10000, "CLONE_THREAD"),
            new Bit(0x20000, "CLONE_NEWNS"), new Bit(0x40000, "CLONE_SYSVSEM"), new Bit(0x80000, "CLONE_SETTLS"),
            new Bit(0x100000, "CLONE_PARENT_SETTID"), new Bit(0x200000, "CLONE_CHILD_CLEARTID"),
            new Bit(0x400000, "CLONE_DETACHED"), new Bit(0x800000, "CLONE_UNTRACED"),
            new Bit(0x1000000, "CLONE_CHILD_SETTID"), new Bit(0x2000000, "CLONE_NEWCGROUP"),
            new Bit(0x4000000, "CLONE_NEWUTS"), new Bit(0x8000000, "CLONE_NEWIPC"), new Bit(0x10000000, "CLONE_NEWUSER"),
            new Bit(0x20000000, "CLONE_NEWPID"), new Bit(0x40000000, "CLONE_NEWNET"), new Bit(0x80000000L, "CLONE_IO"),
            new Bit(0x100000000L, "CLONE_CLEAR_SIGHAND"), new Bit(0x200000000L, "CLONE_INTO_CGROUP"));
    /** {@code CSIGNAL}: the low byte of clone flags is the signal sent to the parent on exit. */
    private static final long CSIGNAL = 0xff;

    // asm-generic/mman-common.h and x86's asm/mman.h
    private static final List<Bit> PROT = List.of(
            new Bit(0x1, "PROT_READ"), new Bit(0x2, "PROT_WRITE"), new Bit(0x4, "PROT_EXEC"), new Bit(0x8, "PROT_SEM"),
            new Bit(0x01000000, "PROT_GROWSDOWN"), new Bit(0x02000000, "PROT_GROWSUP"));
    private static final String[] MAP_TYPES = {null, "MAP_SHARED", "MAP_PRIVATE", "MAP_SHARED_VALIDATE"};
    private static final long MAP_TYPE = 0x0f;
    private static final List<Bit> MAP = List.of(
            new Bit(0x10, "MAP_FIXED"), new Bit(0x20, "MAP_ANONYMOUS"), new Bit(0x40, "MAP_32BIT"),
            new Bit(0x100, "MAP_GROWSDOWN"), new Bit(0x800, "MAP_DENYWRITE"), new Bit(0x1000, "MAP_EXECUTABLE"),
            new Bit(0x2000, "MAP_LOCKED"), new Bit(0x4000, "MAP_NORESERVE"), new Bit(0x8000, "MAP_POPULATE"),
            new Bit(0x10000, "MAP_NONBLOCK"), new Bit(0x20000, "MAP_STACK"), new Bit(0x40000, "MAP_HUGETLB"),
            new Bit(0x80000, "MAP_SYNC"), new Bit(0x100000, "MAP_FIXED_NOREPLACE"),
            new Bit(0x4000000, "MAP_UNINITIALIZED"));

    private static final List<Bit> ACCESS = List.of(new Bit(4, "R_OK"), new Bit(2, "W_OK"), new Bit(1, "X_OK"));

    // linux/net.h socket types and flags
    private static final String[] SOCKET_TYPES = {null, "SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_RDM",
        "SOCK_SEQPACKET", "SOCK_DCCP", null, null, null, "SOCK_PACKET"};
    private static final long SOCK_TYPE_MASK = 0xf;
    private static final List<Bit> SOCK = List.of(new Bit(0x800, "SOCK_NONBLOCK"), new Bit(0x80000, "SOCK_CLOEXEC"));

    // linux/socket.h, AF_UNSPEC .. AF_MCTP
    private static final String[] FAMILIES = {"AF_UNSPEC", "AF_UNIX", "AF_INET", "AF_AX25", "AF_IPX",
        "AF_APPLETALK", "AF_NETROM", "AF_BRIDGE", "AF_ATMPVC", "AF_X25", "AF_INET6", "AF_ROSE", "AF_DECnet",
        "AF_NETBEUI", "AF_SECURITY", "AF_KEY", "AF_NETLINK", "AF_PACKET", "AF_ASH", "AF_ECONET", "AF_ATMSVC",
        "AF_RDS", "AF_SNA", "AF_IRDA", "AF_PPPOX", "AF_WANPIPE", "AF_LLC", "AF_IB", "AF_MPLS", "AF_CAN", "AF_TIPC",
        "AF_BLUETOOTH", "AF_IUCV", "AF_RXRPC", "AF_ISDN", "AF_PHONET", "AF_IEEE802154", "AF_CAIF", "AF_ALG",
        "AF_NFC", "AF_VSOCK", "AF_KCM", "AF_QIPCRTR", "AF_SMC", "AF_XDP", "AF_MCTP"};

    // x86's asm/signal.h
    private static final String[] SIGNALS = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
        "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
        "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ",
        "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};
    private static final int SIGRTMIN = 32;
    private static final int SIGRTMAX = 64;

    // linux/stat.h
    private static final long S_IFMT = 0170000;
    private static final String[] FILE_TYPES = {null, "S_IFIFO", "S_IFCHR", null, "S_IFDIR", null, "S_IFBLK", null,
        "S_IFREG", null, "S_IFLNK", null, "S_IFSOCK", null, null, null};

    private static final int AT_FDCWD = -100;

    private Flags() {
    }

    static String openFlags(long raw) {
        int flags = (int) raw;
        int accessMode = flags & 3;
        String mode = accessMode < ACCESS_MODES.length ? ACCESS_MODES[accessMode] : "0x3";
        return join(mode, bits(OPEN, Integer.toUnsignedLong(flags & ~3)));
    }

    static String fdFlags(long raw) {
        return bits(OPEN, Integer.toUnsignedLong((int) raw));
    }

    static String atFlags(long raw) {
        return bits(AT, Integer.toUnsignedLong((int) raw));
    }

    static String accessMode(long raw) {
        int mode = (int) raw;
        return mode == 0 ? "F_OK" : bits(ACCESS, Integer.toUnsignedLong(mode));
    }

    static String cloneFlags(long raw) {
        String flags = bits(CLONE, raw & ~CSIGNAL);
        int exitSignal = (int) (raw & CSIGNAL);
        if (exitSignal == 0) {
            return flags;
        }
        return (raw & ~CSIGNAL) == 0 ? signal(exitSignal) : flags + "|" + signal(exitSignal);
    }

    static String mmapProt(long raw) {
        int prot = (int) raw;
        return prot == 0 ? "PROT_NONE" : bits(PROT, Integer.toUnsignedLong(prot));
    }

    static String mmapFlags(long raw) {
        long flags = Integer.toUnsignedLong((int) raw);
        int type = (int) (flags & MAP_TYPE);
        String typeName = type < MAP_TYPES.length && MAP_TYPES[type] != null ? MAP_TYPES[type]
                : "0x" + Integer.toHexString(type);
        return (flags & ~MAP_TYPE) == 0 ? typeName : join(typeName, bits(MAP, flags & ~MAP_TYPE));
    }

    static String socketType(long raw) {
        long type = Integer.toUnsignedLong((int) raw);
        int base = (int) (type & SOCK_TYPE_MASK);
        String baseName = base < SOCKET_TYPES.length && SOCKET_TYPES[base] != null ? SOCKET_TYPES[base]
                : String.valueOf(base);
        long rest = type & ~SOCK_TYPE_MASK;
        return rest == 0 ? baseName : join(baseName, bits(SOCK, rest));
    }

    static String socketFlags(long raw) {
        return bits(SOCK, Integer.toUnsignedLong((int) raw));
    }

    static String family(long raw) {
        int family = (int) raw;
        return family >= 0 && family < FAMILIES.length ? FAMILIES[family] : String.valueOf(family);
    }

    static String signal(long raw) {
        int sig = (int) raw;
        if (sig > 0 && sig < SIGNALS.length) {
            return SIGNALS[sig];
        }
        if (sig == SIGRTMIN) {
            return "SIGRTMIN";
        }
        if (sig > SIGRTMIN && sig <= SIGRTMAX) {
            return "SIGRTMIN+" + (sig - SIGRTMIN);
        }
        return String.valueOf(sig);
    }

    static String mode(long raw) {
        long mode = Integer.toUnsignedLong((int) raw);
        int type = (int) ((mode & S_IFMT) >> 12);
        long bits = mode & 07777;
        String permissions = bits == 0 ? "000" : String.format("0%03o", bits);
        long unknown = mode & ~(S_IFMT | 07777);
        String text = type == 0 ? permissions
                : (FILE_TYPES[type] != null ? FILE_TYPES[type] : "0" + Long.toOctalString(mode & S_IFMT)) + "|" + permissions;
        return unknown == 0 ? text : text + "|0x" + Long.toHexString(unknown);
    }

    static String dirfd(long raw) {
        int fd = (int) raw;
        return fd == AT_FDCWD ? "AT_FDCWD" : String.valueOf(fd);
    }

    /** Named patterns first (longest masks win for compound names like O_SYNC), then leftover bits in hex. */
    private static String bits(List<Bit> table, long value) {
        if (value == 0) {
            return "0";
        }
        List<String> names = new ArrayList<>();
        long left = value;
        for (Bit bit : table) {
            if ((left & bit.mask()) == bit.mask()) {
                names.add(bit.name());
                left &= ~bit.mask();
            }
        }
        if (left != 0) {
            names.add("0x" + Long.toHexString(left));
        }
        return String.join("|", names);
    }

    private static String join(String first, String rest) {
        return rest.equals("0") ? first : first + "|" + rest;
    }
}
