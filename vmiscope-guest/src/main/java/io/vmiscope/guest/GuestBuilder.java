package io.vmiscope.guest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Builds the demo guest: Debian's cloud kernel and a busybox initramfs with a small, realistic
 * service set (syslogd, klogd, crond with a heartbeat job, httpd with two CGIs — one the lab's deliberately
 * vulnerable service, docs/demo-guest.md), a root and a user account with password hashes, and the test console on
 * the second serial port. Packages come from {@link DebianPackages}; nothing is installed on the host.
 *
 * <p>The image is cached under {@code cacheDir/guest/KERNEL-HASH/}, keyed by the kernel version and a
 * hash of everything that goes into it (busybox binary, init scripts, module lists), so a second
 * {@link #build()} only checks the cache. A failed build leaves no image behind (it is written to a
 * temporary file and renamed). Not thread-safe; concurrent builds of the same image are harmless.
 */
public final class GuestBuilder {

    /** Modules {@code /init} loads: the network driver stack plus two small ones for module lists. */
    public static final List<String> BOOT_MODULES = List.of("virtio_pci", "virtio_net", "crc7", "crc_itu_t");
    /** Self-contained modules put into the image but not loaded, for tests to {@code insmod}. */
    public static final List<String> SPARE_MODULES = List.of("dummy", "cordic", "nlmon");

    static final String BUSYBOX_PACKAGE = "busybox-static";
    static final String RESOURCES = "rootfs/";
    /** The files under {@code rootfs/} that go into the image (and into its cache key). */
    private static final List<String> ROOTFS_FILES = List.of("init", "inittab", "passwd", "group",
            "vmiscope-console", "crontab", "index.html", "status", "ping", "shadow");
    /** Raised when the image layout changes in a way the hashed inputs do not show. */
    private static final String LAYOUT_VERSION = "1";

    private final DebianPackages packages;
    private final Consumer<String> progress;

    /** @param progress receives one line per step, for the user */
    public GuestBuilder(DebianPackages packages, Consumer<String> progress) {
        this.packages = packages;
        this.progress = progress;
    }

    /** A builder on the default cache that reports progress on standard error. */
    public static GuestBuilder withDefaults() {
        return new GuestBuilder(new DebianPackages(DebianPackages.defaultCacheDir(), System.err::println),
                System.err::println);
    }

    /**
     * Returns the cached image, building it first when missing.
     *
     * @throws IllegalStateException when a package cannot be fetched or a module is missing
     */
    public GuestImage build() {
        progress.accept("fetching kernel and busybox (Debian packages, cached)");
        CloudKernel kernel = CloudKernel.fetch(packages);
        Path busybox = packages.unpacked(BUSYBOX_PACKAGE).resolve("bin").resolve("busybox");
        List<String> bootOrder = kernel.loadOrder(BOOT_MODULES);
        List<String> spares = kernel.loadOrder(SPARE_MODULES);
        if (spares.size() != SPARE_MODULES.size()) {
            throw new IllegalStateException("spare modules must be self-contained, but " + SPARE_MODULES
                    + " need " + spares);
        }
        String moduleRoot = "/lib/modules/" + kernel.version() + "/kernel/";
        List<String> bootNames = bootOrder.stream().map(GuestBuilder::moduleName).toList();
        String key = kernel.version() + "-" + inputHash(kernel, busybox, bootOrder, spares);
        Path initrd = packages.cacheDir().resolve("guest").resolve(key).resolve("initrd.img");
        if (!Files.isRegularFile(initrd)) {
            progress.accept("building initramfs " + initrd);
            write(initrd, kernel, busybox, bootOrder, spares);
        } else {
            progress.accept("initramfs up to date: " + initrd);
        }
        return new GuestImage(kernel.vmlinuz(), initrd, kernel.version(), bootNames,
                spares.stream().map(p -> moduleRoot + p).toList());
    }

    static String moduleName(String relativePath) {
        String file = relativePath.substring(relativePath.lastIndexOf('/') + 1);
        return file.substring(0, file.length() - ".ko".length()).replace('-', '_');
    }

    private String inputHash(CloudKernel kernel, Path busybox, List<String> bootOrder, List<String> spares) {
        try {
            RecipeHash hash = new RecipeHash().text(LAYOUT_VERSION).text(kernel.version())
                    .bytes(Files.readAllBytes(busybox));
            for (String name : ROOTFS_FILES) {
                hash.text(name).bytes(resource(name));
            }
            return hash.text(String.join(",", bootOrder)).text(String.join(",", spares)).hex();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + busybox + ": " + e.getMessage(), e);
        }
    }

    private void write(Path initrd, CloudKernel kernel, Path busybox, List<String> bootOrder, List<String> spares) {
        CacheFiles.writeAtomically(initrd, out -> {
            try (Initramfs cpio = new Initramfs(out)) {
                for (String dir : List.of("proc", "sys", "dev", "tmp", "run", "root", "etc", "var/log",
                        "var/spool/cron/crontabs", "srv/www/cgi-bin", "mnt", "home/alice")) {
                    cpio.directory(dir, dir.equals("tmp") ? 01777 : 0755);
                }
                cpio.characterDevice("dev/console", 0600, 5, 1);
                cpio.characterDevice("dev/null", 0666, 1, 3);
                busybox(cpio, busybox);
                cpio.file("init", 0755, resource("init"));
                cpio.file("etc/inittab", 0644, resource("inittab"));
                cpio.file("etc/passwd", 0644, resource("passwd"));
                cpio.file("etc/group", 0644, resource("group"));
                cpio.file("etc/shadow", 0600, resource("shadow"));
                cpio.file("usr/sbin/vmiscope-console", 0755, resource("vmiscope-console"));
                cpio.file("var/spool/cron/crontabs/root", 0600, resource("crontab"));
                cpio.file("srv/www/index.html", 0644, resource("index.html"));
                cpio.file("srv/www/cgi-bin/status", 0755, resource("status"));
                cpio.file("srv/www/cgi-bin/ping", 0755, resource("ping"));
                modules(cpio, kernel, bootOrder, spares);
            }
        });
    }

    /** Puts the static busybox and a link per applet into an initramfs. */
    static void busybox(Initramfs cpio, Path busybox) throws IOException {
        cpio.file("bin/busybox", 0755, Files.readAllBytes(busybox));
        for (String applet : applets(busybox)) {
            cpio.symlink(applet, "/bin/busybox");
        }
    }

    /**
     * Puts kernel modules (paths relative to {@code kernel/}) into an initramfs: {@code boot} in load order,
     * also listed in {@code /etc/modules-boot} for {@code /init} to load, and {@code spares} not loaded.
     */
    static void modules(Initramfs cpio, CloudKernel kernel, List<String> boot, List<String> spares) throws IOException {
        cpio.file("etc/modules-boot", 0644, (String.join("\n", boot) + "\n").getBytes(StandardCharsets.UTF_8));
        String moduleRoot = "lib/modules/" + kernel.version() + "/kernel/";
        List<String> modules = new ArrayList<>(boot);
        modules.addAll(spares);
        for (String module : modules) {
            cpio.file(moduleRoot + module, 0644,
                    Files.readAllBytes(kernel.modulesDir().resolve("kernel").resolve(module)));
        }
    }

    /** Applet paths relative to the root ({@code bin/ls}, {@code usr/sbin/httpd}), from the static binary. */
    private static List<String> applets(Path busybox) {
        try {
            Process p = new ProcessBuilder(busybox.toString(), "--list-full").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(busybox + " --list-full failed: " + out.strip());
            }
            return out.lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.equals("bin/busybox") && !l.equals("init")
                            && !l.startsWith("/") && !l.contains(".."))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + busybox + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing busybox applets", e);
        }
    }

    private static byte[] resource(String name) {
        return resource(RESOURCES, name);
    }

    /** A file of this package's resources, e.g. {@code resource("debian/", "init")}. */
    static byte[] resource(String folder, String name) {
        try (InputStream in = GuestBuilder.class.getResourceAsStream(folder + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + folder + name + " missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
