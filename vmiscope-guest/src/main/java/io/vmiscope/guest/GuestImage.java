package io.vmiscope.guest;

import java.nio.file.Path;
import java.util.List;

/**
 * A built demo guest: what QEMU boots, and what the tests may expect inside.
 *
 * @param kernel        the bzImage ({@code vmlinuz}) QEMU boots with {@code -kernel}; the same file
 *                      is the input for kernel profiles (kallsyms, BTF)
 * @param initrd        the gzip-compressed newc cpio initramfs
 * @param kernelVersion the kernel release as {@code uname -r} prints it in the guest
 * @param bootModules   names of the modules {@code /init} loads, in load order
 * @param spareModules  absolute guest paths of self-contained modules that are in the image but not
 *                      loaded, for tests to {@code insmod}
 */
public record GuestImage(Path kernel, Path initrd, String kernelVersion, List<String> bootModules,
                         List<String> spareModules) {

    public GuestImage {
        bootModules = List.copyOf(bootModules);
        spareModules = List.copyOf(spareModules);
    }
}
