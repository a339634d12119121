package io.vmiscope.cli.bench;

import io.vmiscope.monitor.NearestRank;

import java.util.Arrays;
import java.util.List;

/** Summary statistics of repeated timings (nanoseconds). */
public record Samples(long[] sortedNanos) {

    public static Samples of(List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        return new Samples(sorted);
    }

    public long median() {
        return percentile(50);
    }

    /** Nearest-rank percentile. */
    public long percentile(int p) {
        return NearestRank.percentile(sortedNanos, p);
    }

    public long min() {
        return sortedNanos[0];
    }

    public long max() {
        return sortedNanos[sortedNanos.length - 1];
    }

    public double mean() {
        return Arrays.stream(sortedNanos).average().orElseThrow();
    }

    public int count() {
        return sortedNanos.length;
    }

    /** e.g. {@code "6.12 ms (min 5.90, p90 6.51, max 7.02; n=10)"} */
    public String describeMillis() {
        return String.format("%.2f ms (min %.2f, p90 %.2f, max %.2f; n=%d)", ms(median()), ms(min()),
                ms(percentile(90)), ms(max()), count());
    }

    static double ms(double nanos) {
        return nanos / 1e6;
    }
}
