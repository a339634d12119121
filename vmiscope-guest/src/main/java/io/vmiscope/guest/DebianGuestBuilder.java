package io.vmiscope.guest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Builds the Debian guest: a Debian 12 (bookworm) system made by {@code debootstrap} from a Debian
 * mirror, with systemd, bash, coreutils, procps, python3, curl, wget, netcat-openbsd, openssh-server,
 * nginx (a static page, {@code stub_status} and the lab's CGI {@code /cgi-bin/ping} through fcgiwrap, with its
 * deliberate command-injection flaw), cron, sudo and the user {@code user} (uid 1000, password-less sudo), on an ext4 image filled with {@code mke2fs -d} (no loop device, nothing mounted on
 * the host). It boots Debian's cloud kernel ({@link CloudKernel}, its modules copied into the system)
 * through a small busybox initramfs that loads virtio-blk and switches to systemd on {@code /dev/vda}.
 * The test console runs as the systemd unit {@code vmiscope-console.service} on ttyS1, the same script
 * as the demo guest's.
 *
 * <pre>
 *   cacheDir/guest/debian-KERNEL-HASH/rootfs.ext4        the system (QEMU never writes it: snapshot=on)
 *                                    /initrd-HASH2.img   busybox, virtio_pci + virtio_blk, /init
 *                                    /tree.partial       debootstrap's work while building, then removed
 * </pre>
 *
 * <p>HASH covers the system's recipe: suite, packages, the files put into the system and the kernel
 * release; HASH2 the initramfs's (busybox, modules, {@code /init}). A changed recipe builds that part
 * anew, an unchanged one only checks the cache. debootstrap and
 * {@code chroot} need root: without it {@link #build()} fails before starting, naming the command to
 * run. A failed build leaves no image (everything is written under a partial name first). Not
 * thread-safe; two processes building the same image at once are not supported.
 */
public final class DebianGuestBuilder {

    /** Debian 12. */
    public static final String SUITE = "bookworm";
    /** What debootstrap installs beyond its {@code minbase} variant. */
    public static final List<String> PACKAGES = List.of("systemd", "systemd-sysv", "udev", "dbus", "kmod",
            "iproute2", "bash", "coreutils", "procps", "python3", "curl", "wget", "netcat-openbsd",
            "openssh-server", "nginx", "fcgiwrap", "iputils-ping", "cron", "sudo");
    /** Modules the initramfs loads to reach the root disk; the system loads the rest itself (udev). */
    public static final List<String> BOOT_MODULES = List.of("virtio_pci", "virtio_blk");

    private static final String RESOURCES = "debian/";
    private static final String CONSOLE_SCRIPT = "vmiscope-console";
    /** Files put into the system: resource name, path in the guest, mode. */
    private static final List<SystemFile> SYSTEM_FILES = List.of(
            new SystemFile("configure", "tmp/vmiscope-configure", 0755),
            new SystemFile("vmiscope-console.service", "etc/systemd/system/vmiscope-console.service", 0644),
            new SystemFile("10-vmiscope.network", "etc/systemd/network/10-vmiscope.network", 0644),
            new SystemFile("index.html", "var/www/vmiscope/index.html", 0644),
            new SystemFile("nginx-site", "etc/nginx/sites-available/vmiscope", 0644),
            new SystemFile("heartbeat", "etc/cron.d/vmiscope-heartbeat", 0644),
            new SystemFile("sudoers", "etc/sudoers.d/vmiscope", 0440),
            new SystemFile("ping", "usr/lib/cgi-bin/ping", 0755),
            new SystemFile("lab-sudoers", "etc/sudoers.d/vmiscope-lab", 0440),
            new SystemFile("sysctl.conf", "etc/sysctl.d/90-vmiscope.conf", 0644));
    /** Raised when the build changes in a way the hashed inputs do not show. */
    private static final String LAYOUT_VERSION = "1";
    private static final Duration DEBOOTSTRAP_TIMEOUT = Duration.ofMinutes(20);
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(5);
    /** Free space in the image beyond what the system uses: logs, workloads' files, packages tests add. */
    private static final long FREE_KIB = 512 * 1024;

    private final DebianPackages packages;
    private final String mirror;
    private final Consumer<String> progress;

    /**
     * @param mirror   the Debian archive debootstrap fetches from, e.g. {@code http://deb.debian.org/debian}
     * @param progress receives one line per step, for the user
     */
    public DebianGuestBuilder(DebianPackages packages, String mirror, Consumer<String> progress) {
        if (!AptMirror.isDebianMirror(mirror)) {
            throw new IllegalArgumentException("a Debian mirror is an http(s) URL ending in /debian, not '" + mirror + "'");
        }
        this.packages = packages;
        this.mirror = mirror;
        this.progress = progress;
    }

    /** The mirror this host's apt uses ({@code /etc/apt/sources.list*}), else {@value AptMirror#FALLBACK}. */
    public static String defaultMirror() {
        return AptMirror.of(Path.of("/etc/apt"));
    }

    /**
     * Returns the cached image, building it first when missing (about a minute of debootstrap on a fast
     * mirror, then a few seconds of mke2fs).
     *
     * @throws IllegalStateException when not root (naming the command to run as root), or a tool fails
     *                               (its last output line)
     */
    public GuestImage build() {
        progress.accept("fetching kernel and busybox (Debian packages, cached)");
        CloudKernel kernel = CloudKernel.fetch(packages);
        Path busybox = packages.unpacked(GuestBuilder.BUSYBOX_PACKAGE).resolve("bin").resolve("busybox");
        List<String> bootOrder = kernel.loadOrder(BOOT_MODULES);
        List<String> spares = kernel.loadOrder(GuestBuilder.SPARE_MODULES);
        Path dir = packages.cacheDir().resolve("guest").resolve("debian-" + kernel.version() + "-" + systemHash(kernel));
        Path disk = dir.resolve("rootfs.ext4");
        Path initrd = dir.resolve("initrd-" + initramfsHash(busybox, bootOrder) + ".img");
        if (!Files.isRegularFile(disk)) {
            buildDisk(dir, disk, kernel);
        } else {
            progress.accept("Debian system up to date: " + disk);
        }
        if (!Files.isRegularFile(initrd)) {
            progress.accept("building initramfs " + initrd);
            CacheFiles.writeAtomically(initrd, out -> {
                try (Initramfs cpio = new Initramfs(out)) {
                    for (String d : List.of("proc", "sys", "dev", "newroot")) {
                        cpio.directory(d, 0755);
                    }
                    cpio.characterDevice("dev/console", 0600, 5, 1);
                    GuestBuilder.busybox(cpio, busybox);
                    cpio.file("init", 0755, resource("init"));
                    GuestBuilder.modules(cpio, kernel, bootOrder, List.of());
                }
            });
        }
        String moduleRoot = "/lib/modules/" + kernel.version() + "/kernel/";
        return new GuestImage(kernel.vmlinuz(), initrd, kernel.version(),
                bootOrder.stream().map(GuestBuilder::moduleName).toList(),
                spares.stream().map(p -> moduleRoot + p).toList(), Optional.of(disk));
    }

    /** The debootstrap command line for a target directory. */
    List<String> debootstrapCommand(Path target) {
        return List.of("debootstrap", "--variant=minbase", "--include=" + String.join(",", PACKAGES), SUITE,
                target.toString(), mirror);
    }

    private void buildDisk(Path dir, Path disk, CloudKernel kernel) {
        Path tree = dir.resolve("tree.partial");
        if (!isRoot()) {
            throw new IllegalStateException("building the Debian guest needs root (debootstrap, chroot): run this "
                    + "command with sudo (keeping VMISCOPE_CACHE), or as root first: "
                    + String.join(" ", debootstrapCommand(tree)));
        }
        try {
            removeTree(tree);
            progress.accept("debootstrap " + SUITE + " from " + mirror + " into " + tree + " (about a minute)");
            HostCommand.run(debootstrapCommand(tree), dir, DEBOOTSTRAP_TIMEOUT,
                    "on Debian: apt-get install debootstrap");
            progress.accept("configuring the system (user, services, kernel " + kernel.version() + " modules)");
            for (SystemFile file : SYSTEM_FILES) {
                file.writeInto(tree);
            }
            Path console = tree.resolve("usr/sbin").resolve(CONSOLE_SCRIPT);
            Files.write(console, GuestBuilder.resource(GuestBuilder.RESOURCES, CONSOLE_SCRIPT));
            Files.setPosixFilePermissions(console, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path modules = tree.resolve("lib/modules");
            Files.createDirectories(modules);
            HostCommand.run(List.of("cp", "-a", kernel.modulesDir().toString(), modules.toString()), dir,
                    STEP_TIMEOUT, "cp is in coreutils");
            HostCommand.run(List.of("chroot", tree.toString(), "/tmp/vmiscope-configure", kernel.version()), dir,
                    STEP_TIMEOUT, "chroot is in coreutils");
            Files.delete(tree.resolve("tmp/vmiscope-configure"));
            long usedKib = Long.parseLong(HostCommand.run(List.of("du", "-sk", tree.toString()), dir, STEP_TIMEOUT,
                    "du is in coreutils").split("\\s+")[0]);
            long sizeKib = usedKib + usedKib / 4 + FREE_KIB;
            progress.accept("mke2fs -d: " + usedKib / 1024 + " MiB of files into a " + sizeKib / 1024 + " MiB ext4 image");
            Path partial = disk.resolveSibling(disk.getFileName() + ".partial");
            Files.deleteIfExists(partial);
            HostCommand.run(List.of("mke2fs", "-q", "-F", "-t", "ext4", "-L", "vmiscope-root", "-d", tree.toString(),
                    partial.toString(), sizeKib + "k"), dir, STEP_TIMEOUT, "on Debian: apt-get install e2fsprogs");
            Files.move(partial, disk);
            removeTree(tree);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the Debian guest in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes a tree of an earlier build, first unmounting what an interrupted debootstrap may have left
     * mounted inside it ({@code /proc}, {@code /sys}): deleting through a mount would reach the host.
     */
    private void removeTree(Path tree) throws IOException {
        if (!Files.exists(tree)) {
            return;
        }
        String prefix = tree.toAbsolutePath() + "/";
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] fields = line.split(" ");
            if (fields.length > 1 && fields[1].startsWith(prefix)) {
                mounts.add(0, fields[1]);
            }
        }
        for (String mount : mounts) {
            progress.accept("unmounting " + mount + " left by an interrupted build");
            HostCommand.run(List.of("umount", "-l", mount), tree.getParent(), STEP_TIMEOUT, "umount is in util-linux");
        }
        CacheFiles.deleteTree(tree);
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The system's recipe: what debootstrap installs and what goes into the system after it. */
    private static String systemHash(CloudKernel kernel) {
        RecipeHash hash = new RecipeHash().text(LAYOUT_VERSION).text(SUITE).text(String.join(",", PACKAGES))
                .text(kernel.version())
                .text(CONSOLE_SCRIPT).bytes(GuestBuilder.resource(GuestBuilder.RESOURCES, CONSOLE_SCRIPT));
        for (SystemFile file : SYSTEM_FILES) {
            hash.text(file.guestPath()).text(Integer.toOctalString(file.mode())).bytes(resource(file.resource()));
        }
        return hash.hex();
    }

    /** The initramfs's recipe: it changes without the system having to be built again. */
    private static String initramfsHash(Path busybox, List<String> bootOrder) {
        try {
            return new RecipeHash().text(LAYOUT_VERSION).bytes(Files.readAllBytes(busybox))
                    .text(String.join(",", bootOrder)).text("init").bytes(resource("init")).hex();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + busybox + ": " + e.getMessage(), e);
        }
    }

    private static byte[] resource(String name) {
        return GuestBuilder.resource(RESOURCES, name);
    }

    /** A resource file and where it goes in the system. */
    private record SystemFile(String resource, String guestPath, int mode) {

        void writeInto(Path tree) throws IOException {
            Path target = tree.resolve(guestPath);
            Files.createDirectories(target.getParent());
            Files.write(target, DebianGuestBuilder.resource(resource));
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(permissions(mode)));
        }

        private static String permissions(int mode) {
            String letters = "rwxrwxrwx";
            StringBuilder s = new StringBuilder();
            for (int bit = 8; bit >= 0; bit--) {
                s.append((mode & (1 << bit)) != 0 ? letters.charAt(8 - bit) : '-');
            }
            return s.toString();
        }
    }
}
