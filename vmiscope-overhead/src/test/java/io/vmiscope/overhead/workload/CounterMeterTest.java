package io.vmiscope.overhead.workload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CounterMeterTest {

    @TempDir
    Path dir;

    @Test
    void rate_runsFromTheFirstToTheLastCounterLine_onTheHostClock() {
        Rate rate = CounterMeter.rate("cpu", List.of(new CounterFollower.Edge(100, 1_000_000_000L),
                new CounterFollower.Edge(356, 1_500_000_000L), new CounterFollower.Edge(1380, 3_000_000_000L)), 3.2);
        assertThat(rate.ops()).isEqualTo(1280);
        assertThat(rate.wallSeconds()).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void rate_withoutTwoLines_isZeroOverTheTimeWaited() {
        assertThat(CounterMeter.rate("cpu", List.of(new CounterFollower.Edge(5, 7)), 12.0))
                .isEqualTo(new Rate(0, 12.0, java.util.Optional.empty()));
    }

    @Test
    void rate_ofACounterThatWentBack_saysTheWorkloadRestarted() {
        assertThatThrownBy(() -> CounterMeter.rate("cpu", List.of(new CounterFollower.Edge(500, 0),
                new CounterFollower.Edge(20, 100)), 1))
                .hasMessageContaining("workload cpu restarted during the window");
    }

    @Test
    void measure_followsTheLogFromItsEnd_readsOnlyItsWorkloadsLines_andEndsOnALineAfterTheWindow() throws Exception {
        Path log = dir.resolve("serial0.log");
        Files.writeString(log, "vmiscope-wl cpu 1\nboot noise\n");
        List<Long> appendedNanos = new CopyOnWriteArrayList<>();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 1; i <= 40; i++) {
                    Thread.sleep(20);
                    append(log, "vmiscope-wl syscalls " + i * 7 + "\n[ 12.3] kernel says hi\nvmiscope-wl cpu " + (1000 + i * 256) + "\n");
                    appendedNanos.add(System.nanoTime());
                }
            } catch (InterruptedException | IOException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        Rate rate = new CounterMeter("cpu", System::nanoTime).measure(log, Duration.ofMillis(300));
        writer.join();
        // the writer's own pace, as this host kept it: a sleep of 20 ms takes longer on a busy host
        double writtenPerSecond = 256.0 * (appendedNanos.size() - 1)
                / ((appendedNanos.get(appendedNanos.size() - 1) - appendedNanos.get(0)) / 1e9);
        assertThat(rate.ops() % 256).as("whole batches").isZero();
        assertThat(rate.ops()).as("more than one batch").isGreaterThanOrEqualTo(256L * 2);
        assertThat(rate.opsPerSecond()).as("the pace the writer kept, %.0f ops/s", writtenPerSecond)
                .isBetween(writtenPerSecond / 2, writtenPerSecond * 2);
    }

    @Test
    void measure_ofAWorkloadThatWritesNothing_givesUpAfterTheStretchedWindow() throws Exception {
        Path log = dir.resolve("serial0.log");
        Files.writeString(log, "");
        long t0 = System.nanoTime();
        Rate rate = new CounterMeter("cpu", System::nanoTime).measure(log, Duration.ofMillis(50));
        assertThat(rate.ops()).isZero();
        assertThat((System.nanoTime() - t0) / 1e6).isBetween(50.0 * CounterMeter.STRETCH, 2000.0);
    }

    private static void append(Path log, String text) throws IOException {
        Files.writeString(log, text, StandardOpenOption.APPEND);
    }
}
