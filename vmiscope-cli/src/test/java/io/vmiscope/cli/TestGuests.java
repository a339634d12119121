package io.vmiscope.cli;

import io.vmiscope.guest.GuestDistro;
import io.vmiscope.guest.GuestImage;
import io.vmiscope.guest.QemuLauncher;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.guest.VmOptions;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The guests for live tests: each built once per JVM (or found in the cache), booted once per test
 * class, owned by this JVM. The demo (busybox) guest unless a distro is named.
 */
public final class TestGuests {

    private static final Map<GuestDistro, GuestImage> IMAGES = new EnumMap<>(GuestDistro.class);

    private TestGuests() {
    }

    /** The demo guest's image (built or found in the cache on first use). */
    public static GuestImage image() {
        return image(GuestDistro.BUSYBOX);
    }

    /** A guest's image (built or found in the cache on first use; the Debian guest's first build takes minutes). */
    public static synchronized GuestImage image(GuestDistro distro) {
        return IMAGES.computeIfAbsent(distro, GuestDistro::build);
    }

    /** A booted demo guest named {@code prefix-<pid>} with KASLR on; the caller stops it. */
    public static QemuVm boot(String prefix) {
        return boot(prefix, true);
    }

    public static QemuVm boot(String prefix, boolean kaslr) {
        return boot(GuestDistro.BUSYBOX, prefix, kaslr);
    }

    /** A booted guest of {@code distro} named {@code prefix-<pid>}, with its default memory; the caller stops it. */
    public static QemuVm boot(GuestDistro distro, String prefix, boolean kaslr) {
        QemuVm vm = QemuLauncher.withDefaults().start(image(distro), VmOptions.named(prefix + "-" + ProcessHandle.current().pid())
                .withKaslr(kaslr).withMemoryMb(distro.defaultMemoryMb()));
        vm.awaitBooted(Duration.ofMinutes(3));
        // tests that trace every process start from a settled system
        distro.awaitSettled(vm, Duration.ofMinutes(2));
        return vm;
    }
}
