package io.vmiscope.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmiscope.guest.QemuVm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a {@code vmiscope monitor} session ends when it is interrupted or its guest dies: everything
 * collected so far is written, the VM (if alive) runs with no breakpoint left. The last test crashes
 * the guest, so the order matters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitorRobustnessIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private QemuVm vm;

    @TempDir
    Path dir;

    @BeforeAll
    void bootGuest() {
        vm = TestGuests.boot("robust");
    }

    @AfterAll
    void stopGuest() {
        if (vm != null) {
            vm.stop();
        }
    }

    private Process monitor(Path out, Path err) throws Exception {
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), "io.vmiscope.cli.Main", "monitor", "--vm", vm.name(),
                "--action", "syscalls:openat,execve", "--action", "procevents", "--out", out.toString())
                .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!(Files.exists(err) && Files.readString(err).contains("vmiscope: monitoring"))) {
            assertThat(p.isAlive()).as("monitor started; stderr: %s", Files.exists(err) ? Files.readString(err) : "")
                    .isTrue();
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(100);
        }
        return p;
    }

    /** Every line a complete JSON object: nothing half-written. */
    private static List<String> jsonLines(Path out) throws Exception {
        List<String> lines = Files.readAllLines(out);
        for (String line : lines) {
            assertThat(JSON.readTree(line).get("kind")).as(line).isNotNull();
        }
        return lines;
    }

    @Test
    @Order(1)
    void interrupt_endsTheStreamCleanly_withCostsPrinted_andTheVmRunningWithoutBreakpoints() throws Exception {
        Path out = dir.resolve("interrupted.jsonl");
        Path err = dir.resolve("interrupted.err");
        Process monitor = monitor(out, err);
        vm.console().run("for i in 1 2 3; do cat /etc/passwd >/dev/null; done", Duration.ofSeconds(20)).orThrow();

        monitor.destroy(); // SIGTERM: what Ctrl-C also leads to
        assertThat(monitor.waitFor(20, TimeUnit.SECONDS)).isTrue();

        assertThat(jsonLines(out)).anyMatch(l -> l.contains("\"syscall\":\"openat\""));
        assertThat(Files.readString(err)).contains("vmiscope: cost per action:")
                .as("SIGTERM is a clean end: the detach hook waits for the monitor to close the session itself")
                .doesNotContain("was closed while waiting", "connection to GDB stub");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < until) { // a breakpoint left on openat/execve would stop the VM here
            vm.console().run("cat /etc/passwd >/dev/null", Duration.ofSeconds(5)).orThrow();
        }
        assertThat(vm.qmp().status()).isEqualTo("running");
    }

    @Test
    @Order(2)
    void aCrashingGuest_endsTheSession_withOneLineError_andKeepsWhatWasCollected() throws Exception {
        Path out = dir.resolve("crash.jsonl");
        Path err = dir.resolve("crash.err");
        Process monitor = monitor(out, err);
        vm.console().run("cat /etc/passwd >/dev/null", Duration.ofSeconds(20)).orThrow();
        int before = jsonLines(out).size();

        try {
            vm.console().run("echo c > /proc/sysrq-trigger", Duration.ofSeconds(5)); // kernel panic: QEMU ends
        } catch (RuntimeException expected) {
            // the console dies with the guest
        }

        assertThat(monitor.waitFor(60, TimeUnit.SECONDS)).as("monitor ends when its guest dies").isTrue();
        assertThat(jsonLines(out).size()).isGreaterThanOrEqualTo(before);
        String stderr = Files.readString(err);
        assertThat(stderr).contains("vmiscope: cost per action:");
        assertThat(stderr.lines().filter(l -> l.startsWith("vmiscope: ") && !l.contains("monitoring")
                && !l.contains("cost per action"))).as(stderr).allSatisfy(l -> assertThat(l).doesNotContain("Exception"));
        assertThat(stderr).doesNotContain("\tat ");
    }
}
