package io.vmiscope.cli;

import io.vmiscope.guest.GuestBuilder;
import io.vmiscope.guest.GuestImage;
import io.vmiscope.guest.QemuLauncher;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.guest.VmOptions;

import java.time.Duration;

/** The demo guest for live tests: built once per JVM, booted once per test class, owned by this JVM. */
public final class TestGuests {

    private static GuestImage image;

    private TestGuests() {
    }

    /** The demo guest's image (built or found in the cache on first use). */
    public static synchronized GuestImage image() {
        if (image == null) {
            image = GuestBuilder.withDefaults().build();
        }
        return image;
    }

    /** A booted demo guest named {@code prefix-<pid>} with KASLR on; the caller stops it. */
    public static QemuVm boot(String prefix) {
        return boot(prefix, true);
    }

    public static QemuVm boot(String prefix, boolean kaslr) {
        QemuVm vm = QemuLauncher.withDefaults().start(image(),
                VmOptions.named(prefix + "-" + ProcessHandle.current().pid()).withKaslr(kaslr));
        vm.awaitBooted(Duration.ofMinutes(3));
        return vm;
    }
}
