package io.vmiscope.analysis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two small lookup tables the derivation joins against: the category of a system call by name (Linux
 * x86-64 names and the obvious Windows {@code Nt*} ones; any other name is {@code other}), and what a file or
 * registry operation does to its target ({@code write} or {@code delete}; any other is a read). Stored as the tables
 * {@code syscall_categories} and {@code file_operations} so that the SQL can join them.
 */
final class Vocabulary {

    static final String FILE = "file";
    static final String NETWORK = "network";
    static final String PROCESS = "process";
    static final String MEMORY = "memory";
    static final String IPC = "ipc";
    static final String OTHER = "other";

    /** The categories in display order. */
    static final List<String> CATEGORIES = List.of(FILE, NETWORK, PROCESS, MEMORY, IPC, OTHER);

    private static final Map<String, List<String>> SYSCALLS = Map.of(
            FILE, List.of("open", "openat", "openat2", "creat", "close", "close_range", "read", "write", "pread64",
                    "pwrite64", "readv", "writev", "preadv", "pwritev", "preadv2", "pwritev2", "lseek", "stat", "fstat",
                    "lstat", "newfstatat", "statx", "statfs", "fstatfs", "access", "faccessat", "faccessat2",
                    "getdents", "getdents64", "unlink", "unlinkat", "rename", "renameat", "renameat2", "mkdir",
                    "mkdirat", "rmdir", "chmod", "fchmod", "fchmodat", "chown", "fchown", "lchown", "fchownat",
                    "truncate", "ftruncate", "link", "linkat", "symlink", "symlinkat", "readlink", "readlinkat",
                    "chdir", "fchdir", "getcwd", "fsync", "fdatasync", "sync", "syncfs", "sendfile", "splice", "tee",
                    "copy_file_range", "dup", "dup2", "dup3", "fcntl", "flock", "mknod", "mknodat", "utime",
                    "utimes", "utimensat", "futimesat", "fallocate", "inotify_add_watch", "fanotify_mark",
                    "NtCreateFile", "NtOpenFile", "NtReadFile", "NtWriteFile", "NtDeleteFile",
                    "NtQueryInformationFile", "NtSetInformationFile", "NtQueryDirectoryFile",
                    "NtQueryAttributesFile", "NtQueryFullAttributesFile", "NtFlushBuffersFile", "NtLockFile",
                    "NtUnlockFile"),
            NETWORK, List.of("socket", "socketpair", "connect", "accept", "accept4", "bind", "listen", "sendto",
                    "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "shutdown", "getsockname",
                    "getpeername", "setsockopt", "getsockopt"),
            PROCESS, List.of("fork", "vfork", "clone", "clone3", "execve", "execveat", "exit", "exit_group", "wait4",
                    "waitid", "kill", "tkill", "tgkill", "ptrace", "setuid", "setgid", "setreuid", "setregid",
                    "setresuid", "setresgid", "setsid", "setpgid", "prctl", "unshare", "setns", "capset",
                    "pidfd_open", "pidfd_send_signal", "pidfd_getfd", "NtCreateUserProcess", "NtCreateProcess",
                    "NtCreateProcessEx", "NtTerminateProcess", "NtOpenProcess", "NtCreateThread", "NtCreateThreadEx",
                    "NtTerminateThread", "NtOpenThread", "NtSuspendProcess", "NtResumeProcess", "NtSuspendThread",
                    "NtResumeThread"),
            MEMORY, List.of("mmap", "munmap", "mprotect", "mremap", "brk", "madvise", "mlock", "mlock2", "munlock",
                    "mlockall", "munlockall", "msync", "mincore", "process_vm_readv", "process_vm_writev",
                    "memfd_create", "pkey_mprotect", "NtAllocateVirtualMemory", "NtFreeVirtualMemory",
                    "NtProtectVirtualMemory", "NtReadVirtualMemory", "NtWriteVirtualMemory", "NtMapViewOfSection",
                    "NtUnmapViewOfSection", "NtCreateSection"),
            IPC, List.of("pipe", "pipe2", "shmget", "shmat", "shmdt", "shmctl", "semget", "semop", "semtimedop",
                    "semctl", "msgget", "msgsnd", "msgrcv", "msgctl", "mq_open", "mq_unlink", "mq_timedsend",
                    "mq_timedreceive", "mq_notify", "eventfd", "eventfd2", "futex", "NtAlpcConnectPort",
                    "NtAlpcCreatePort", "NtAlpcSendWaitReceivePort", "NtConnectPort", "NtRequestWaitReplyPort",
                    "NtCreateNamedPipeFile"));

    /**
     * Lower-cased operations that change or remove their target: vmiscope's and DRAKVUF filetracer's on files,
     * DRAKVUF filedelete/fileextractor's reasons (the plugin's name when it gives none: a deleted file), and
     * DRAKVUF regmon's methods on registry keys.
     */
    private static final Map<String, List<String>> FILE_OPERATIONS = Map.of(
            "write", List.of("create", "write", "truncate", "rename", "link", "symlink", "chmod", "chown", "mkdir",
                    "file_create", "file_supersede", "file_overwrite", "file_overwrite_if", "ntwritefile",
                    "writefile", "createsection",
                    "ntsetvaluekey", "ntcreatekey", "ntcreatekeytransacted", "ntrenamekey", "ntsetinformationkey",
                    "ntrestorekey", "ntreplacekey", "ntloadkey", "ntloadkey2", "ntloadkeyex"),
            "delete", List.of("unlink", "rmdir", "delete", "file_delete", "ntdeletefile", "deletefile", "filedelete",
                    "ntdeletekey", "ntdeletevaluekey"));

    private Vocabulary() {
    }

    /** syscall name → category, for the {@code syscall_categories} table. */
    static Map<String, String> syscallCategories() {
        return invert(SYSCALLS);
    }

    /** lower-cased file operation → {@code write} or {@code delete}, for the {@code file_operations} table. */
    static Map<String, String> fileOperations() {
        return invert(FILE_OPERATIONS);
    }

    private static Map<String, String> invert(Map<String, List<String>> byValue) {
        Map<String, String> result = new LinkedHashMap<>();
        byValue.forEach((value, keys) -> keys.forEach(k -> result.put(k, value)));
        return result;
    }
}
