package io.vmiscope.guest;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The guests vmiscope builds: the small busybox demo guest (the default) and a Debian 12 system with
 * systemd and real programs. Both boot Debian's cloud kernel with KASLR and carry the test console on
 * their second serial port.
 */
public enum GuestDistro {
    /** Busybox initramfs: one binary behind every command, up in seconds (docs/demo-guest.md). */
    BUSYBOX("httpd", 256),
    /** Debian 12 on an ext4 disk: systemd, bash, python3, nginx, sshd, cron, sudo (docs/demo-guest.md). */
    DEBIAN("nginx", 512);

    private final String webServer;
    private final int defaultMemoryMb;

    GuestDistro(String webServer, int defaultMemoryMb) {
        this.webServer = webServer;
        this.defaultMemoryMb = defaultMemoryMb;
    }

    /** The command name ({@code comm}) of the guest's web server on port 80. */
    public String webServer() {
        return webServer;
    }

    /** The RAM the guest is started with unless told otherwise, in MiB. */
    public int defaultMemoryMb() {
        return defaultMemoryMb;
    }

    /**
     * Waits until a freshly booted guest of this distro has settled: on Debian until systemd has finished starting
     * its units (running or degraded, either will do), whose start-up work otherwise slows the first commands and
     * traced steps under TCG for a minute or more; the demo guest is settled once booted.
     *
     * @param timeout how long systemd may take
     */
    public void awaitSettled(QemuVm vm, Duration timeout) {
        if (this == DEBIAN) {
            vm.console().run("systemctl is-system-running --wait", timeout);
        }
    }

    /** The name users type: {@code busybox}, {@code debian}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The distro of this name.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static GuestDistro of(String id) {
        return Arrays.stream(values()).filter(d -> d.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown guest distro '" + id + "'; known: "
                        + Arrays.stream(values()).map(GuestDistro::id).collect(Collectors.joining(", "))));
    }

    /** Builds (or finds in the cache) this guest's image, the Debian guest from this host's mirror. */
    public GuestImage build() {
        return build(DebianGuestBuilder.defaultMirror());
    }

    /**
     * Builds (or finds in the cache) this guest's image, reporting progress on standard error.
     *
     * @param debianMirror where debootstrap fetches the Debian guest's packages from; the demo guest's
     *                     two packages come through the host's apt either way
     */
    public GuestImage build(String debianMirror) {
        DebianPackages packages = new DebianPackages(DebianPackages.defaultCacheDir(), System.err::println);
        return switch (this) {
            case BUSYBOX -> new GuestBuilder(packages, System.err::println).build();
            case DEBIAN -> new DebianGuestBuilder(packages, debianMirror, System.err::println).build();
        };
    }
}
