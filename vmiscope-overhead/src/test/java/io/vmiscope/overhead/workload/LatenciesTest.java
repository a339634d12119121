package io.vmiscope.overhead.workload;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LatenciesTest {

    @Test
    void percentiles_areNearestRank_overUnsortedLatencies() {
        // 1..100 ms, shuffled: p50 is the 50th smallest, p99 the 99th.
        long[] nanos = LongStream.rangeClosed(1, 100).map(ms -> ((ms * 37) % 100 + 1) * 1_000_000).toArray();

        Latencies latencies = Latencies.ofNanos(nanos);

        assertThat(latencies.p50Millis()).isEqualTo(50.0);
        assertThat(latencies.p99Millis()).isEqualTo(99.0);
    }

    @Test
    void percentiles_ofFewLatencies_areMeasuredValues() {
        Latencies latencies = Latencies.ofNanos(new long[] {3_000_000, 1_000_000, 2_000_000});

        assertThat(latencies.p50Millis()).isEqualTo(2.0);
        assertThat(latencies.p99Millis()).isEqualTo(3.0);
        assertThat(Latencies.ofNanos(new long[] {1_500_000})).isEqualTo(new Latencies(1.5, 1.5));
    }

    @Test
    void percentiles_needAtLeastOneLatency() {
        assertThatThrownBy(() -> Latencies.ofNanos(new long[0])).hasMessage("no latencies to take percentiles of");
    }

    @Test
    void rate_showsItsLatencies_whenItHasThem() {
        assertThat(new Rate(1031, 2.5, Optional.of(new Latencies(2.1, 6.0))))
                .hasToString("412.4 ops/s (1031 ops in 2.50 s), p50 2.1 ms, p99 6.0 ms");
        assertThat(new Rate(10, 2.0, Optional.empty())).hasToString("5.0 ops/s (10 ops in 2.00 s)");
    }

    @Test
    void rate_needsAPositiveWindow() {
        assertThatThrownBy(() -> new Rate(5, 0, Optional.empty()))
                .hasMessage("a rate needs ops ≥ 0 and a positive window, was 5 ops in 0.0 s");
    }
}
