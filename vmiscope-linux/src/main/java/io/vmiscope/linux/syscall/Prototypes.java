package io.vmiscope.linux.syscall;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signatures written as prototypes, one per line: {@code name(TYPE arg, …) RETURN}, where
 * {@code TYPE:n} names the argument that holds the length of a {@link ArgType#BUFFER} or
 * {@link ArgType#SOCKADDR}. Argument order and meaning follow the x86-64 kernel entry points
 * (e.g. {@code clone(flags, stack, parent_tid, child_tid, tls)}, the x86-64 order).
 */
final class Prototypes {

    private static final String TEXT = """
            read(FD fd, PTR buf, SIZE count) SIZE
            write(FD fd, BUFFER:2 buf, SIZE count) SIZE
            pread64(FD fd, PTR buf, SIZE count, LONG offset) SIZE
            pwrite64(FD fd, BUFFER:2 buf, SIZE count, LONG offset) SIZE
            open(PATH pathname, OPEN_FLAGS flags, MODE mode) FD
            openat(DIRFD dirfd, PATH pathname, OPEN_FLAGS flags, MODE mode) FD
            openat2(DIRFD dirfd, PATH pathname, PTR how, SIZE size) FD
            creat(PATH pathname, MODE mode) FD
            close(FD fd) INT
            dup(FD oldfd) FD
            dup2(FD oldfd, FD newfd) FD
            dup3(FD oldfd, FD newfd, FD_FLAGS flags) FD
            pipe(PTR pipefd) INT
            pipe2(PTR pipefd, FD_FLAGS flags) INT
            lseek(FD fd, LONG offset, INT whence) SIZE
            ioctl(FD fd, HEX request, HEX arg) INT
            fstat(FD fd, PTR statbuf) INT
            stat(PATH pathname, PTR statbuf) INT
            lstat(PATH pathname, PTR statbuf) INT
            newfstatat(DIRFD dirfd, PATH pathname, PTR statbuf, AT_FLAGS flags) INT
            statx(DIRFD dirfd, PATH pathname, AT_FLAGS flags, HEX mask, PTR statxbuf) INT
            statfs(PATH path, PTR buf) INT
            access(PATH pathname, ACCESS_MODE mode) INT
            faccessat(DIRFD dirfd, PATH pathname, ACCESS_MODE mode) INT
            faccessat2(DIRFD dirfd, PATH pathname, ACCESS_MODE mode, AT_FLAGS flags) INT
            unlink(PATH pathname) INT
            unlinkat(DIRFD dirfd, PATH pathname, AT_FLAGS flags) INT
            rename(PATH oldpath, PATH newpath) INT
            renameat(DIRFD olddirfd, PATH oldpath, DIRFD newdirfd, PATH newpath) INT
            renameat2(DIRFD olddirfd, PATH oldpath, DIRFD newdirfd, PATH newpath, HEX flags) INT
            mkdir(PATH pathname, MODE mode) INT
            mkdirat(DIRFD dirfd, PATH pathname, MODE mode) INT
            rmdir(PATH pathname) INT
            mknod(PATH pathname, MODE mode, HEX dev) INT
            mknodat(DIRFD dirfd, PATH pathname, MODE mode, HEX dev) INT
            chmod(PATH pathname, MODE mode) INT
            fchmod(FD fd, MODE mode) INT
            fchmodat(DIRFD dirfd, PATH pathname, MODE mode) INT
            fchmodat2(DIRFD dirfd, PATH pathname, MODE mode, AT_FLAGS flags) INT
            chown(PATH pathname, INT owner, INT group) INT
            lchown(PATH pathname, INT owner, INT group) INT
            fchown(FD fd, INT owner, INT group) INT
            fchownat(DIRFD dirfd, PATH pathname, INT owner, INT group, AT_FLAGS flags) INT
            link(PATH oldpath, PATH newpath) INT
            linkat(DIRFD olddirfd, PATH oldpath, DIRFD newdirfd, PATH newpath, AT_FLAGS flags) INT
            symlink(PATH target, PATH linkpath) INT
            symlinkat(PATH target, DIRFD newdirfd, PATH linkpath) INT
            readlink(PATH pathname, PTR buf, SIZE bufsiz) SIZE
            readlinkat(DIRFD dirfd, PATH pathname, PTR buf, SIZE bufsiz) SIZE
            truncate(PATH path, LONG length) INT
            ftruncate(FD fd, LONG length) INT
            getcwd(PTR buf, SIZE size) SIZE
            chdir(PATH path) INT
            fchdir(FD fd) INT
            chroot(PATH path) INT
            pivot_root(PATH new_root, PATH put_old) INT
            acct(PATH filename) INT
            mount(PATH source, PATH target, STRING filesystemtype, HEX mountflags, PTR data) INT
            umount2(PATH target, HEX flags) INT
            swapon(PATH path, HEX swapflags) INT
            swapoff(PATH path) INT
            quotactl(HEX cmd, PATH special, INT id, PTR addr) INT
            utime(PATH filename, PTR times) INT
            utimes(PATH filename, PTR times) INT
            futimesat(DIRFD dirfd, PATH pathname, PTR times) INT
            utimensat(DIRFD dirfd, PATH pathname, PTR times, AT_FLAGS flags) INT
            setxattr(PATH path, STRING name, PTR value, SIZE size, HEX flags) INT
            lsetxattr(PATH path, STRING name, PTR value, SIZE size, HEX flags) INT
            getxattr(PATH path, STRING name, PTR value, SIZE size) SIZE
            lgetxattr(PATH path, STRING name, PTR value, SIZE size) SIZE
            listxattr(PATH path, PTR list, SIZE size) SIZE
            llistxattr(PATH path, PTR list, SIZE size) SIZE
            removexattr(PATH path, STRING name) INT
            lremovexattr(PATH path, STRING name) INT
            inotify_add_watch(FD fd, PATH pathname, HEX mask) INT
            fanotify_mark(FD fanotify_fd, HEX flags, HEX mask, DIRFD dirfd, PATH pathname) INT
            name_to_handle_at(DIRFD dirfd, PATH pathname, PTR handle, PTR mount_id, AT_FLAGS flags) INT
            open_tree(DIRFD dirfd, PATH pathname, HEX flags) FD
            move_mount(DIRFD from_dirfd, PATH from_pathname, DIRFD to_dirfd, PATH to_pathname, HEX flags) INT
            fsconfig(FD fd, UINT cmd, STRING key, PTR value, INT aux) INT
            fspick(DIRFD dirfd, PATH pathname, HEX flags) FD
            mount_setattr(DIRFD dirfd, PATH pathname, HEX flags, PTR attr, SIZE size) INT
            memfd_create(STRING name, HEX flags) FD
            mmap(PTR addr, SIZE length, MMAP_PROT prot, MMAP_FLAGS flags, FD fd, HEX offset) POINTER
            mprotect(PTR addr, SIZE len, MMAP_PROT prot) INT
            munmap(PTR addr, SIZE length) INT
            brk(PTR addr) POINTER
            mremap(PTR old_address, SIZE old_size, SIZE new_size, HEX flags, PTR new_address) POINTER
            madvise(PTR addr, SIZE length, INT advice) INT
            socket(SOCKET_DOMAIN domain, SOCKET_TYPE type, INT protocol) FD
            socketpair(SOCKET_DOMAIN domain, SOCKET_TYPE type, INT protocol, PTR sv) INT
            connect(FD sockfd, SOCKADDR:2 addr, UINT addrlen) INT
            bind(FD sockfd, SOCKADDR:2 addr, UINT addrlen) INT
            listen(FD sockfd, INT backlog) INT
            accept(FD sockfd, PTR addr, SOCKADDR_LEN_PTR addrlen) FD
            accept4(FD sockfd, PTR addr, SOCKADDR_LEN_PTR addrlen, SOCKET_FLAGS flags) FD
            getsockname(FD sockfd, PTR addr, SOCKADDR_LEN_PTR addrlen) INT
            getpeername(FD sockfd, PTR addr, SOCKADDR_LEN_PTR addrlen) INT
            sendto(FD sockfd, BUFFER:2 buf, SIZE len, HEX flags, SOCKADDR:5 dest_addr, UINT addrlen) SIZE
            recvfrom(FD sockfd, PTR buf, SIZE len, HEX flags, PTR src_addr, SOCKADDR_LEN_PTR addrlen) SIZE
            sendmsg(FD sockfd, PTR msg, HEX flags) SIZE
            recvmsg(FD sockfd, PTR msg, HEX flags) SIZE
            sendmmsg(FD sockfd, PTR msgvec, UINT vlen, HEX flags) INT
            recvmmsg(FD sockfd, PTR msgvec, UINT vlen, HEX flags, PTR timeout) INT
            shutdown(FD sockfd, INT how) INT
            setsockopt(FD sockfd, INT level, INT optname, PTR optval, UINT optlen) INT
            getsockopt(FD sockfd, INT level, INT optname, PTR optval, PTR optlen) INT
            sendfile(FD out_fd, FD in_fd, PTR offset, SIZE count) SIZE
            clone(CLONE_FLAGS flags, PTR stack, PTR parent_tid, PTR child_tid, PTR tls) INT
            clone3(PTR cl_args, SIZE size) INT
            fork() INT
            vfork() INT
            unshare(CLONE_FLAGS flags) INT
            execve(PATH pathname, ARGV argv, ENVP envp) INT
            execveat(DIRFD dirfd, PATH pathname, ARGV argv, ENVP envp, AT_FLAGS flags) INT
            exit(INT status) INT
            exit_group(INT status) INT
            wait4(PID pid, PTR wstatus, HEX options, PTR rusage) INT
            waitid(INT idtype, PID id, PTR infop, HEX options, PTR rusage) INT
            kill(PID pid, SIGNAL sig) INT
            tkill(PID tid, SIGNAL sig) INT
            tgkill(PID tgid, PID tid, SIGNAL sig) INT
            rt_sigqueueinfo(PID tgid, SIGNAL sig, PTR info) INT
            rt_tgsigqueueinfo(PID tgid, PID tid, SIGNAL sig, PTR info) INT
            pidfd_open(PID pid, UINT flags) FD
            pidfd_send_signal(FD pidfd, SIGNAL sig, PTR info, UINT flags) INT
            ptrace(INT request, PID pid, PTR addr, PTR data) INT
            init_module(PTR module_image, SIZE len, STRING param_values) INT
            finit_module(FD fd, STRING param_values, HEX flags) INT
            delete_module(STRING name, HEX flags) INT
            setuid(UINT uid) INT
            setgid(UINT gid) INT
            """;

    static final Map<String, SyscallSignature> ALL = parse();

    private Prototypes() {
    }

    private static Map<String, SyscallSignature> parse() {
        Map<String, SyscallSignature> map = new LinkedHashMap<>();
        for (String line : TEXT.strip().split("\n")) {
            String text = line.strip();
            int open = text.indexOf('(');
            int close = text.indexOf(')');
            String name = text.substring(0, open);
            List<SyscallSignature.Param> params = new ArrayList<>();
            String inside = text.substring(open + 1, close).strip();
            if (!inside.isEmpty()) {
                for (String arg : inside.split(",")) {
                    String[] parts = arg.strip().split(" ");
                    String[] type = parts[0].split(":");
                    int lengthIndex = type.length > 1 ? Integer.parseInt(type[1]) : -1;
                    params.add(new SyscallSignature.Param(parts[1], ArgType.valueOf(type[0]), lengthIndex));
                }
            }
            ReturnKind returns = ReturnKind.valueOf(text.substring(close + 1).strip());
            map.put(name, new SyscallSignature(name, params, returns));
        }
        return Collections.unmodifiableMap(map);
    }
}
