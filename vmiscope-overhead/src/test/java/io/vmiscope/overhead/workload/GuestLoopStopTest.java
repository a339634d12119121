package io.vmiscope.overhead.workload;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A guest-side workload's stop command run by dash, the Debian guest's {@code sh} (the demo guest's busybox sh
 * reads kill's options more leniently): it must kill the loop's whole process group.
 */
class GuestLoopStopTest {

    /** Runs each command with the host's dash, as the Debian guest's test console runs it. */
    private static final GuestShell DASH = (command, timeout) -> {
        try {
            Process p = new ProcessBuilder("dash", "-c", command).redirectErrorStream(true).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("dash did not finish within " + timeout);
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    };

    @Test
    void stop_underDash_killsTheLoopsProcessGroup_andRemovesItsFiles() throws Exception {
        Path dir = Path.of(Workloads.GUEST_DIRECTORY);
        Files.createDirectories(dir);
        // a stand-in for the loop: a process group of its own (setsid), its pid in the workload's pid file
        Process loop = new ProcessBuilder("setsid", "sleep", "300").start();
        try {
            Files.writeString(dir.resolve("fileio.pid"), loop.pid() + "\n");

            Workloads.byName("fileio").stop(new WorkloadGuest(DASH, new InetSocketAddress("127.0.0.1", 9),
                    dir.resolve("no-serial.log")));

            assertThat(loop.waitFor(10, TimeUnit.SECONDS)).as("the loop's process group is killed").isTrue();
            assertThat(dir.resolve("fileio.pid")).doesNotExist();
        } finally {
            loop.destroyForcibly();
            Files.deleteIfExists(dir.resolve("fileio.pid"));
        }
    }
}
