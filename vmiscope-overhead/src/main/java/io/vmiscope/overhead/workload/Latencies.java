package io.vmiscope.overhead.workload;

import io.vmiscope.monitor.NearestRank;

import java.util.Arrays;

/**
 * Percentiles of request latencies, by the nearest-rank method (each is one of the measured values).
 *
 * @param p50Millis the median
 * @param p99Millis 99 of 100 requests took at most this long
 */
public record Latencies(double p50Millis, double p99Millis) {

    public Latencies {
        if (!(p50Millis >= 0) || !(p99Millis >= p50Millis)) {
            throw new IllegalArgumentException("latency percentiles must satisfy 0 ≤ p50 ≤ p99, were "
                    + p50Millis + " and " + p99Millis);
        }
    }

    /** The percentiles of the given latencies, in nanoseconds (at least one). */
    public static Latencies ofNanos(long[] latencyNanos) {
        if (latencyNanos.length == 0) {
            throw new IllegalArgumentException("no latencies to take percentiles of");
        }
        long[] sorted = latencyNanos.clone();
        Arrays.sort(sorted);
        return new Latencies(NearestRank.percentile(sorted, 50) / 1e6, NearestRank.percentile(sorted, 99) / 1e6);
    }
}
