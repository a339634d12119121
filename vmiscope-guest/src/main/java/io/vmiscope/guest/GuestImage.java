package io.vmiscope.guest;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A built guest: what QEMU boots, and what the tests may expect inside.
 *
 * @param kernel        the bzImage ({@code vmlinuz}) QEMU boots with {@code -kernel}; the same file
 *                      is the input for kernel profiles (kallsyms, BTF)
 * @param initrd        the gzip-compressed newc cpio initramfs
 * @param kernelVersion the kernel release as {@code uname -r} prints it in the guest
 * @param bootModules   names of the modules the initramfs loads, in load order
 * @param spareModules  absolute guest paths of self-contained modules that are in the image but not
 *                      loaded, for tests to {@code insmod}
 * @param rootDisk      the raw ext4 image the initramfs mounts as root from {@code /dev/vda} (the
 *                      Debian guest), or empty when the initramfs is the whole system (the demo guest).
 *                      QEMU never writes it: a VM's writes go to a temporary overlay
 */
public record GuestImage(Path kernel, Path initrd, String kernelVersion, List<String> bootModules,
                         List<String> spareModules, Optional<Path> rootDisk) {

    public GuestImage {
        bootModules = List.copyOf(bootModules);
        spareModules = List.copyOf(spareModules);
        Objects.requireNonNull(rootDisk, "rootDisk");
    }

    /** An initramfs-only guest. */
    public GuestImage(Path kernel, Path initrd, String kernelVersion, List<String> bootModules,
                      List<String> spareModules) {
        this(kernel, initrd, kernelVersion, bootModules, spareModules, Optional.empty());
    }
}
