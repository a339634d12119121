package io.vmiscope.guest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/** The demo guest image (built once per test JVM from the default cache) and launchers for tests. */
final class TestGuests {

    private static GuestImage image;

    private TestGuests() {
    }

    static synchronized GuestImage image() {
        if (image == null) {
            image = new GuestBuilder(new DebianPackages(DebianPackages.defaultCacheDir(), line -> { }), line -> { })
                    .build();
        }
        return image;
    }

    static QemuLauncher launcher() {
        return new QemuLauncher(DebianPackages.defaultCacheDir(), line -> System.out.println("[launcher] " + line));
    }

    /** A VM name no other test run uses. */
    static String uniqueName(String prefix) {
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        return "test-" + prefix + "-" + HexFormat.of().formatHex(random);
    }

    /** Stops a test VM and deletes its runtime directory (logs included): test names are never reused. */
    static void stopAndDelete(QemuVm vm) {
        vm.stop();
        try (Stream<Path> files = Files.walk(vm.state().vmDir())) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
