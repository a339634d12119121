package io.vmiscope.monitor;

/**
 * Percentiles by the nearest-rank method: the smallest measured value with at least p% of the values
 * at or below it, so every percentile is a value that was really measured. Used for stopped times
 * here and, by the overhead and benchmark code, for latencies and timings.
 */
public final class NearestRank {

    private NearestRank() {
    }

    /**
     * @param sorted  values in ascending order
     * @param percent 0 to 100
     * @return the percentile, or 0 for no values
     */
    public static long percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
