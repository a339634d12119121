package io.vmiscope.overhead.workload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CounterProbeTest {

    @TempDir
    Path dir;

    private final long[] now = {0};

    @Test
    void slowdown_isTheBaselineOverTheRateBetweenCounterLines_andWaitingWithoutALineCountsToo() throws IOException {
        Path log = Files.writeString(dir.resolve("serial0.log"), "boot\n");
        try (CounterFollower follower = new CounterFollower("cpu", log, () -> now[0])) {
            CounterProbe probe = new CounterProbe(follower, 512, () -> now[0]);
            assertThat(probe.slowdownSinceLastCall()).as("nothing yet").isEmpty();

            line(log, "vmiscope-wl cpu 0", 0);
            assertThat(probe.slowdownSinceLastCall()).as("one line: no interval yet").isEmpty();

            line(log, "vmiscope-wl fileio 999\nvmiscope-wl cpu 256", 1_000_000_000L);
            assertThat(probe.slowdownSinceLastCall().getAsDouble()).as("256 ops in 1 s against 512/s")
                    .isCloseTo(1.0, within(1e-9));

            now[0] = 3_000_000_000L;
            assertThat(probe.slowdownSinceLastCall().getAsDouble()).as("no line for 2 s: under 256 ops in 2 s")
                    .isCloseTo(3.0, within(1e-9));

            line(log, "vmiscope-wl cpu 512", 3_100_000_000L);
            assertThat(probe.slowdownSinceLastCall().getAsDouble()).isCloseTo(512 / (256 / 2.1) - 1, within(1e-9));
        }
    }

    @Test
    void beforeItsBaseline_itReadsNothing_andTheLinesUntilThenAreNotCompared() throws IOException {
        Path log = Files.writeString(dir.resolve("serial0.log"), "");
        try (CounterProbe probe = new CounterProbe(new CounterFollower("cpu", log, () -> now[0]), Double.NaN, () -> now[0])) {
            line(log, "vmiscope-wl cpu 0", 0);
            line(log, "vmiscope-wl cpu 256", 1_000_000_000L);
            assertThat(probe.slowdownSinceLastCall()).isEmpty();
            line(log, "vmiscope-wl cpu 512", 2_000_000_000L);

            probe.baseline(new Rate(512, 2, Optional.empty()));
            line(log, "vmiscope-wl cpu 768", 4_000_000_000L);

            assertThat(probe.slowdownSinceLastCall().getAsDouble()).as("256 ops in 2 s since the baseline, against 256/s")
                    .isCloseTo(1.0, within(1e-9));
        }
    }

    private void line(Path log, String text, long at) throws IOException {
        Files.writeString(log, text + "\n", StandardOpenOption.APPEND);
        now[0] = at;
    }
}
