package io.vmiscope.linux.task;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gva;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.walk.GuestStrings;
import io.vmiscope.linux.walk.KernelPointers;
import io.vmiscope.x86.GuestMemory;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The path of a task's open file descriptor, from kernel memory: {@code task->files->fdt->fd[fd]}
 * gives the {@code struct file}, whose {@code f_path.dentry} is walked up through {@code d_parent}
 * and, at the root of each mounted file system, on from its mount point in the parent mount (as the
 * kernel's {@code d_path} does; the task's chroot is not applied). Bounded: at most
 * {@value #MAX_DEPTH} components of at most {@value #MAX_NAME_BYTES} bytes. Not thread-safe; valid
 * while the VM is stopped.
 */
public final class OpenFiles {

    static final int MAX_DEPTH = 64;
    static final int MAX_NAME_BYTES = 255;

    private final GuestMemory memory;
    private final int addressBits;
    private final long taskFiles;
    private final long filesFdt;
    private final long fdtMaxFds;
    private final long fdtFd;
    private final long fileDentry;
    private final long fileMount;
    private final long mountVfsmount;
    private final long mountParent;
    private final long mountMountpoint;
    private final long dentryParent;
    private final long dentryName;
    private final long qstrLen;
    private final long qstrName;

    /** @throws io.vmiscope.linux.symbols.ProfileException when a needed struct member is missing */
    public OpenFiles(GuestMemory memory, KernelProfile profile) {
        this.memory = memory;
        this.addressBits = memory.mode().virtualAddressBits();
        this.taskFiles = profile.offset("task_struct", "files");
        this.filesFdt = profile.offset("files_struct", "fdt");
        this.fdtMaxFds = profile.offset("fdtable", "max_fds");
        this.fdtFd = profile.offset("fdtable", "fd");
        this.fileDentry = profile.offset("file", "f_path") + profile.offset("path", "dentry");
        this.fileMount = profile.offset("file", "f_path") + profile.offset("path", "mnt");
        this.mountVfsmount = profile.offset("mount", "mnt");
        this.mountParent = profile.offset("mount", "mnt_parent");
        this.mountMountpoint = profile.offset("mount", "mnt_mountpoint");
        this.dentryParent = profile.offset("dentry", "d_parent");
        this.dentryName = profile.offset("dentry", "d_name");
        this.qstrLen = profile.offset("qstr", "len");
        this.qstrName = profile.offset("qstr", "name");
    }

    /**
     * The path of file descriptor {@code fd} of the task at {@code task}.
     *
     * @throws GuestAccessException when the descriptor is not open, or a pointer is implausible or unmapped
     */
    public String path(Gva task, int fd) {
        long files = pointer(task.value() + taskFiles, "task->files");
        long fdt = pointer(files + filesFdt, "files->fdt");
        long maxFds = Integer.toUnsignedLong(memory.readU32(AccessContext.kernel(Gva.of(fdt + fdtMaxFds))));
        if (fd < 0 || fd >= maxFds) {
            throw new GuestAccessException("fd " + fd + " is outside the table of " + maxFds);
        }
        long array = pointer(fdt + fdtFd, "fdt->fd");
        long file = memory.readU64(AccessContext.kernel(Gva.of(array + 8L * fd)));
        if (file == 0) {
            throw new GuestAccessException("fd " + fd + " is not open");
        }
        checkPlausible(file, "fd[" + fd + "]");
        long vfsmount = pointer(file + fileMount, "file->f_path.mnt");
        return path(pointer(file + fileDentry, "file->f_path.dentry"), vfsmount - mountVfsmount);
    }

    /** struct mount embeds its vfsmount: container_of gives the mount, whose parent chain leads to /. */
    private String path(long dentry, long mount) {
        Deque<String> names = new ArrayDeque<>();
        long current = dentry;
        long currentMount = mount;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            long parent = pointer(current + dentryParent, "dentry->d_parent");
            if (parent == current) {
                long parentMount = pointer(currentMount + mountParent, "mount->mnt_parent");
                if (parentMount == currentMount) {
                    return "/" + String.join("/", names);
                }
                current = pointer(currentMount + mountMountpoint, "mount->mnt_mountpoint");
                currentMount = parentMount;
                continue;
            }
            names.addFirst(name(current));
            current = parent;
        }
        return ".../" + String.join("/", names);
    }

    private String name(long dentry) {
        long length = Integer.toUnsignedLong(memory.readU32(AccessContext.kernel(Gva.of(dentry + dentryName + qstrLen))));
        long name = pointer(dentry + dentryName + qstrName, "d_name.name");
        int read = (int) Math.min(length, MAX_NAME_BYTES);
        byte[] bytes = memory.read(AccessContext.kernel(Gva.of(name)), read);
        return GuestStrings.cString(bytes, 0, read);
    }

    private long pointer(long at, String what) {
        long value = memory.readU64(AccessContext.kernel(Gva.of(at)));
        checkPlausible(value, what);
        return value;
    }

    private void checkPlausible(long value, String what) {
        if (!KernelPointers.isPlausible(value, addressBits, 8)) {
            throw new GuestAccessException(what + " is " + Gva.of(value));
        }
    }
}
