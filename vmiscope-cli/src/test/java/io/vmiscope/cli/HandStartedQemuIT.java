package io.vmiscope.cli;

import io.vmiscope.guest.Accelerator;
import io.vmiscope.guest.GuestImage;
import io.vmiscope.guest.QemuLauncher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A QEMU that the user started by hand with {@code -gdb unix:PATH,server=on,wait=off} (no vmiscope launcher, no
 * registry, no QMP), introspected with {@code ps --gdb unix:PATH} and released with {@code guest release --gdb
 * unix:PATH}, as README.md "Attaching to your own VM" tells.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HandStartedQemuIT {

    private Path dir;
    private Path gdbSocket;
    private Process qemu;
    private GuestImage image;

    @BeforeAll
    void startQemuByHand() throws Exception {
        image = TestGuests.image();
        Accelerator accelerator = QemuLauncher.withDefaults().resolve(Accelerator.AUTO, image);
        dir = Files.createTempDirectory("vmiscope-by-hand");
        gdbSocket = dir.resolve("gdb.sock");
        Path serial = dir.resolve("serial.log");
        qemu = new ProcessBuilder("qemu-system-x86_64", "-nodefaults", "-display", "none", "-no-reboot",
                "-accel", accelerator.name().toLowerCase(Locale.ROOT), "-m", "256",
                "-kernel", image.kernel().toString(), "-initrd", image.initrd().toString(),
                "-append", "console=ttyS0 panic=-1 no_timer_check", "-serial", "file:" + serial,
                "-gdb", "unix:" + gdbSocket + ",server=on,wait=off")
                .redirectInput(new File("/dev/null")).redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!(Files.exists(serial) && Files.readString(serial).contains("vmiscope-init: services started"))) {
            assertThat(qemu.isAlive()).as("QEMU runs (log: %s)", dir.resolve("qemu.log")).isTrue();
            assertThat(System.nanoTime() - deadline).as("the guest boots within 3 minutes").isNegative();
            Thread.sleep(200);
        }
    }

    @AfterAll
    void stopQemu() throws IOException, InterruptedException {
        if (qemu != null) {
            qemu.destroy();
            if (!qemu.waitFor(5, TimeUnit.SECONDS)) {
                qemu.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Test
    void ps_overTheUnixSocket_listsTheGuestsProcesses() {
        CliRun run = CliRun.of("ps", "--gdb", "unix:" + gdbSocket, "--kernel", image.kernel().toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("httpd").contains("crond").contains("syslogd");
        assertThat(run.err()).doesNotContain("warning");
    }

    @Test
    void guestRelease_overTheUnixSocket_resumesTheVm() {
        CliRun run = CliRun.of("guest", "release", "--gdb", "unix:" + gdbSocket);

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("released unix:" + gdbSocket).contains("detached, VM resumed");
        assertThat(qemu.isAlive()).isTrue();
    }
}
