package io.vmiscope.linux.syscall;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The x86-64 system calls as numbered in Linux's {@code arch/x86/entry/syscalls/syscall_64.tbl}
 * (the {@code common} and {@code 64} ABIs, up to Linux 6.10), with strace-like groups. Numbers never
 * change once assigned, so one table serves every kernel; whether a kernel implements a call is
 * decided by its symbols ({@link SyscallTable}).
 */
final class X64Syscalls {

    /**
     * One row of the table.
     *
     * @param entry the kernel function after {@code sys_} ({@code newstat} for {@code stat}), or empty
     *              when x86-64 reserves the number without implementing it ({@code uselib})
     */
    record Row(int number, String name, Optional<String> entry, Set<SyscallGroup> groups) {
    }

    /** Columns: number, name, entry point after {@code sys_} ("-": none), groups ("-": none). */
    private static final String TABLE = """
            0 read read desc
            1 write write desc
            2 open open desc,file
            3 close close desc
            4 stat newstat file
            5 fstat newfstat desc
            6 lstat newlstat file
            7 poll poll desc
            8 lseek lseek desc
            9 mmap mmap desc,memory
            10 mprotect mprotect memory
            11 munmap munmap memory
            12 brk brk memory
            13 rt_sigaction rt_sigaction signal
            14 rt_sigprocmask rt_sigprocmask signal
            15 rt_sigreturn rt_sigreturn signal
            16 ioctl ioctl desc
            17 pread64 pread64 desc
            18 pwrite64 pwrite64 desc
            19 readv readv desc
            20 writev writev desc
            21 access access file
            22 pipe pipe desc,ipc
            23 select select desc
            24 sched_yield sched_yield -
            25 mremap mremap memory
            26 msync msync memory
            27 mincore mincore memory
            28 madvise madvise memory
            29 shmget shmget ipc
            30 shmat shmat ipc,memory
            31 shmctl shmctl ipc
            32 dup dup desc
            33 dup2 dup2 desc
            34 pause pause signal
            35 nanosleep nanosleep -
            36 getitimer getitimer -
            37 alarm alarm -
            38 setitimer setitimer -
            39 getpid getpid -
            40 sendfile sendfile64 desc,network
            41 socket socket network
            42 connect connect network
            43 accept accept network
            44 sendto sendto network
            45 recvfrom recvfrom network
            46 sendmsg sendmsg network
            47 recvmsg recvmsg network
            48 shutdown shutdown network
            49 bind bind network
            50 listen listen network
            51 getsockname getsockname network
            52 getpeername getpeername network
            53 socketpair socketpair network
            54 setsockopt setsockopt network
            55 getsockopt getsockopt network
            56 clone clone process
            57 fork fork process
            58 vfork vfork process
            59 execve execve file,process
            60 exit exit process
            61 wait4 wait4 process
            62 kill kill signal,process
            63 uname newuname -
            64 semget semget ipc
            65 semop semop ipc
            66 semctl semctl ipc
            67 shmdt shmdt ipc,memory
            68 msgget msgget ipc
            69 msgsnd msgsnd ipc
            70 msgrcv msgrcv ipc
            71 msgctl msgctl ipc
            72 fcntl fcntl desc
            73 flock flock desc
            74 fsync fsync desc
            75 fdatasync fdatasync desc
            76 truncate truncate file
            77 ftruncate ftruncate desc
            78 getdents getdents desc
            79 getcwd getcwd file
            80 chdir chdir file
            81 fchdir fchdir desc
            82 rename rename file
            83 mkdir mkdir file
            84 rmdir rmdir file
            85 creat creat desc,file
            86 link link file
            87 unlink unlink file
            88 symlink symlink file
            89 readlink readlink file
            90 chmod chmod file
            91 fchmod fchmod desc
            92 chown chown file
            93 fchown fchown desc
            94 lchown lchown file
            95 umask umask -
            96 gettimeofday gettimeofday -
            97 getrlimit getrlimit -
            98 getrusage getrusage -
            99 sysinfo sysinfo -
            100 times times -
            101 ptrace ptrace -
            102 getuid getuid -
            103 syslog syslog -
            104 getgid getgid -
            105 setuid setuid -
            106 setgid setgid -
            107 geteuid geteuid -
            108 getegid getegid -
            109 setpgid setpgid -
            110 getppid getppid -
            111 getpgrp getpgrp -
            112 setsid setsid -
            113 setreuid setreuid -
            114 setregid setregid -
            115 getgroups getgroups -
            116 setgroups setgroups -
            117 setresuid setresuid -
            118 getresuid getresuid -
            119 setresgid setresgid -
            120 getresgid getresgid -
            121 getpgid getpgid -
            122 setfsuid setfsuid -
            123 setfsgid setfsgid -
            124 getsid getsid -
            125 capget capget -
            126 capset capset -
            127 rt_sigpending rt_sigpending signal
            128 rt_sigtimedwait rt_sigtimedwait signal
            129 rt_sigqueueinfo rt_sigqueueinfo signal,process
            130 rt_sigsuspend rt_sigsuspend signal
            131 sigaltstack sigaltstack signal
            132 utime utime file
            133 mknod mknod file
            134 uselib - file
            135 personality personality -
            136 ustat ustat -
            137 statfs statfs file
            138 fstatfs fstatfs desc
            139 sysfs sysfs -
            140 getpriority getpriority -
            141 setpriority setpriority -
            142 sched_setparam sched_setparam -
            143 sched_getparam sched_getparam -
            144 sched_setscheduler sched_setscheduler -
            145 sched_getscheduler sched_getscheduler -
            146 sched_get_priority_max sched_get_priority_max -
            147 sched_get_priority_min sched_get_priority_min -
            148 sched_rr_get_interval sched_rr_get_interval -
            149 mlock mlock memory
            150 munlock munlock memory
            151 mlockall mlockall memory
            152 munlockall munlockall memory
            153 vhangup vhangup -
            154 modify_ldt modify_ldt -
            155 pivot_root pivot_root file
            156 _sysctl - -
            157 prctl prctl -
            158 arch_prctl arch_prctl -
            159 adjtimex adjtimex -
            160 setrlimit setrlimit -
            161 chroot chroot file
            162 sync sync -
            163 acct acct file
            164 settimeofday settimeofday -
            165 mount mount file
            166 umount2 umount file
            167 swapon swapon file
            168 swapoff swapoff file
            169 reboot reboot -
            170 sethostname sethostname -
            171 setdomainname setdomainname -
            172 iopl iopl -
            173 ioperm ioperm -
            174 create_module - -
            175 init_module init_module -
            176 delete_module delete_module -
            177 get_kernel_syms - -
            178 query_module - -
            179 quotactl quotactl file
            180 nfsservctl - -
            181 getpmsg - network
            182 putpmsg - network
            183 afs_syscall - -
            184 tuxcall - -
            185 security - -
            186 gettid gettid -
            187 readahead readahead desc
            188 setxattr setxattr file
            189 lsetxattr lsetxattr file
            190 fsetxattr fsetxattr desc
            191 getxattr getxattr file
            192 lgetxattr lgetxattr file
            193 fgetxattr fgetxattr desc
            194 listxattr listxattr file
            195 llistxattr llistxattr file
            196 flistxattr flistxattr desc
            197 removexattr removexattr file
            198 lremovexattr lremovexattr file
            199 fremovexattr fremovexattr desc
            200 tkill tkill signal,process
            201 time time -
            202 futex futex -
            203 sched_setaffinity sched_setaffinity -
            204 sched_getaffinity sched_getaffinity -
            205 set_thread_area - -
            206 io_setup io_setup memory
            207 io_destroy io_destroy memory
            208 io_getevents io_getevents -
            209 io_submit io_submit -
            210 io_cancel io_cancel -
            211 get_thread_area - -
            212 lookup_dcookie lookup_dcookie -
            213 epoll_create epoll_create desc
            214 epoll_ctl_old - -
            215 epoll_wait_old - -
            216 remap_file_pages remap_file_pages memory
            217 getdents64 getdents64 desc
            218 set_tid_address set_tid_address -
            219 restart_syscall restart_syscall -
            220 semtimedop semtimedop ipc
            221 fadvise64 fadvise64 desc
            222 timer_create timer_create -
            223 timer_settime timer_settime -
            224 timer_gettime timer_gettime -
            225 timer_getoverrun timer_getoverrun -
            226 timer_delete timer_delete -
            227 clock_settime clock_settime -
            228 clock_gettime clock_gettime -
            229 clock_getres clock_getres -
            230 clock_nanosleep clock_nanosleep -
            231 exit_group exit_group process
            232 epoll_wait epoll_wait desc
            233 epoll_ctl epoll_ctl desc
            234 tgkill tgkill signal,process
            235 utimes utimes file
            236 vserver - -
            237 mbind mbind memory
            238 set_mempolicy set_mempolicy memory
            239 get_mempolicy get_mempolicy memory
            240 mq_open mq_open desc,ipc
            241 mq_unlink mq_unlink ipc
            242 mq_timedsend mq_timedsend desc,ipc
            243 mq_timedreceive mq_timedreceive desc,ipc
            244 mq_notify mq_notify desc,ipc
            245 mq_getsetattr mq_getsetattr desc,ipc
            246 kexec_load kexec_load -
            247 waitid waitid process
            248 add_key add_key -
            249 request_key request_key -
            250 keyctl keyctl -
            251 ioprio_set ioprio_set -
            252 ioprio_get ioprio_get -
            253 inotify_init inotify_init desc
            254 inotify_add_watch inotify_add_watch desc,file
            255 inotify_rm_watch inotify_rm_watch desc
            256 migrate_pages migrate_pages memory
            257 openat openat desc,file
            258 mkdirat mkdirat desc,file
            259 mknodat mknodat desc,file
            260 fchownat fchownat desc,file
            261 futimesat futimesat desc,file
            262 newfstatat newfstatat desc,file
            263 unlinkat unlinkat desc,file
            264 renameat renameat desc,file
            265 linkat linkat desc,file
            266 symlinkat symlinkat desc,file
            267 readlinkat readlinkat desc,file
            268 fchmodat fchmodat desc,file
            269 faccessat faccessat desc,file
            270 pselect6 pselect6 desc
            271 ppoll ppoll desc
            272 unshare unshare -
            273 set_robust_list set_robust_list -
            274 get_robust_list get_robust_list -
            275 splice splice desc
            276 tee tee desc
            277 sync_file_range sync_file_range desc
            278 vmsplice vmsplice desc
            279 move_pages move_pages memory
            280 utimensat utimensat desc,file
            281 epoll_pwait epoll_pwait desc
            282 signalfd signalfd desc,signal
            283 timerfd_create timerfd_create desc
            284 eventfd eventfd desc,ipc
            285 fallocate fallocate desc
            286 timerfd_settime timerfd_settime desc
            287 timerfd_gettime timerfd_gettime desc
            288 accept4 accept4 network
            289 signalfd4 signalfd4 desc,signal
            290 eventfd2 eventfd2 desc,ipc
            291 epoll_create1 epoll_create1 desc
            292 dup3 dup3 desc
            293 pipe2 pipe2 desc,ipc
            294 inotify_init1 inotify_init1 desc
            295 preadv preadv desc
            296 pwritev pwritev desc
            297 rt_tgsigqueueinfo rt_tgsigqueueinfo signal,process
            298 perf_event_open perf_event_open desc
            299 recvmmsg recvmmsg network
            300 fanotify_init fanotify_init desc
            301 fanotify_mark fanotify_mark desc,file
            302 prlimit64 prlimit64 -
            303 name_to_handle_at name_to_handle_at desc,file
            304 open_by_handle_at open_by_handle_at desc
            305 clock_adjtime clock_adjtime -
            306 syncfs syncfs desc
            307 sendmmsg sendmmsg network
            308 setns setns desc
            309 getcpu getcpu -
            310 process_vm_readv process_vm_readv -
            311 process_vm_writev process_vm_writev -
            312 kcmp kcmp -
            313 finit_module finit_module desc
            314 sched_setattr sched_setattr -
            315 sched_getattr sched_getattr -
            316 renameat2 renameat2 desc,file
            317 seccomp seccomp -
            318 getrandom getrandom -
            319 memfd_create memfd_create desc
            320 kexec_file_load kexec_file_load desc
            321 bpf bpf desc
            322 execveat execveat desc,file,process
            323 userfaultfd userfaultfd desc
            324 membarrier membarrier -
            325 mlock2 mlock2 memory
            326 copy_file_range copy_file_range desc
            327 preadv2 preadv2 desc
            328 pwritev2 pwritev2 desc
            329 pkey_mprotect pkey_mprotect memory
            330 pkey_alloc pkey_alloc -
            331 pkey_free pkey_free -
            332 statx statx desc,file
            333 io_pgetevents io_pgetevents -
            334 rseq rseq -
            424 pidfd_send_signal pidfd_send_signal desc,signal,process
            425 io_uring_setup io_uring_setup desc
            426 io_uring_enter io_uring_enter desc
            427 io_uring_register io_uring_register desc,memory
            428 open_tree open_tree desc,file
            429 move_mount move_mount desc,file
            430 fsopen fsopen desc
            431 fsconfig fsconfig desc,file
            432 fsmount fsmount desc
            433 fspick fspick desc,file
            434 pidfd_open pidfd_open desc,process
            435 clone3 clone3 process
            436 close_range close_range desc
            437 openat2 openat2 desc,file
            438 pidfd_getfd pidfd_getfd desc
            439 faccessat2 faccessat2 desc,file
            440 process_madvise process_madvise desc
            441 epoll_pwait2 epoll_pwait2 desc
            442 mount_setattr mount_setattr desc,file
            443 quotactl_fd quotactl_fd desc
            444 landlock_create_ruleset landlock_create_ruleset desc
            445 landlock_add_rule landlock_add_rule desc
            446 landlock_restrict_self landlock_restrict_self desc
            447 memfd_secret memfd_secret desc
            448 process_mrelease process_mrelease desc
            449 futex_waitv futex_waitv -
            450 set_mempolicy_home_node set_mempolicy_home_node memory
            451 cachestat cachestat desc
            452 fchmodat2 fchmodat2 desc,file
            453 map_shadow_stack map_shadow_stack memory
            454 futex_wake futex_wake -
            455 futex_wait futex_wait -
            456 futex_requeue futex_requeue -
            457 statmount statmount -
            458 listmount listmount -
            459 lsm_get_self_attr lsm_get_self_attr -
            460 lsm_set_self_attr lsm_set_self_attr -
            461 lsm_list_modules lsm_list_modules -
            462 mseal mseal memory
            """;

    private static final Map<String, Row> BY_NAME = parse();
    private static final Map<Integer, Row> BY_NUMBER = byNumber();

    private X64Syscalls() {
    }

    static Optional<Row> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    static Optional<Row> byNumber(int number) {
        return Optional.ofNullable(BY_NUMBER.get(number));
    }

    /** Every row, in number order. */
    static List<Row> rows() {
        return List.copyOf(BY_NAME.values());
    }

    private static Map<String, Row> parse() {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : TABLE.strip().split("\n")) {
            String[] f = line.strip().split(" ");
            Set<SyscallGroup> groups = EnumSet.noneOf(SyscallGroup.class);
            if (!f[3].equals("-")) {
                for (String g : f[3].split(",")) {
                    groups.add(SyscallGroup.fromLabel(g).orElseThrow());
                }
            }
            Optional<String> entry = f[2].equals("-") ? Optional.empty() : Optional.of(f[2]);
            rows.put(f[1], new Row(Integer.parseInt(f[0]), f[1], entry, Collections.unmodifiableSet(groups)));
        }
        return Collections.unmodifiableMap(rows);
    }

    private static Map<Integer, Row> byNumber() {
        Map<Integer, Row> map = new LinkedHashMap<>();
        BY_NAME.values().forEach(r -> map.put(r.number(), r));
        return Collections.unmodifiableMap(map);
    }
}
