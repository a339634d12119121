package io.vmiscope.overhead.workload;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CounterMeterTest {

    @Test
    void parseCount_acceptsOneNumber_withTheLineEndTheGuestPrints() {
        assertThat(CounterSample.parseCount("cpu", "12800\n")).isEqualTo(12800);
        assertThat(CounterSample.parseCount("cpu", " 0 \r\n")).isZero();
    }

    @Test
    void parseCount_rejectsAnythingElse_sayingWhichWorkload() {
        assertThatThrownBy(() -> CounterSample.parseCount("fileio", "sh: can't open file\n"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("workload fileio: its counter reads 'sh: can't open file', not a count");
        assertThatThrownBy(() -> CounterSample.parseCount("fileio", "")).hasMessageContaining("reads ''");
        assertThatThrownBy(() -> CounterSample.parseCount("fileio", "-5")).hasMessageContaining("reads '-5'");
    }

    @Test
    void sample_isTimedAtTheMiddleOfItsRoundTrip() {
        assertThat(new CounterSample(1, 1_000, 3_000).atNanos()).isEqualTo(2_000);
    }

    @Test
    void rate_isTheCountersDifference_overTheHostTimeBetweenTheReads() {
        Rate rate = CounterMeter.rate("cpu", new CounterSample(100, 0, 200_000_000),
                new CounterSample(1100, 2_000_000_000L, 2_400_000_000L));

        assertThat(rate.ops()).isEqualTo(1000);
        assertThat(rate.wallSeconds()).isCloseTo(2.1, within(1e-9));
        assertThat(rate.opsPerSecond()).isCloseTo(1000 / 2.1, within(1e-9));
        assertThat(rate.latencies()).isEmpty();
    }

    @Test
    void rate_ofACounterThatWentBack_saysTheWorkloadRestarted() {
        assertThatThrownBy(() -> CounterMeter.rate("cpu", new CounterSample(500, 0, 10), new CounterSample(20, 100, 110)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("workload cpu restarted during the window (its counter went from 500 back to 20)");
    }

    @Test
    void measure_readsTheCounterAtBothEndsOfTheWindow() {
        ScriptedShell shell = new ScriptedShell("250\n", "1250\n");

        Rate rate = new CounterMeter("syscalls", "read it").measure(shell, Duration.ofMillis(50));

        assertThat(shell.commands).containsExactly("read it", "read it");
        assertThat(rate.ops()).isEqualTo(1000);
        assertThat(rate.wallSeconds()).isBetween(0.045, 1.0);
    }

    /** Answers each command with the next of its outputs. */
    private static final class ScriptedShell implements GuestShell {
        private final Deque<String> outputs;
        private final List<String> commands = new java.util.ArrayList<>();

        ScriptedShell(String... outputs) {
            this.outputs = new ArrayDeque<>(List.of(outputs));
        }

        @Override
        public String run(String command, Duration timeout) {
            commands.add(command);
            return outputs.removeFirst();
        }
    }
}
