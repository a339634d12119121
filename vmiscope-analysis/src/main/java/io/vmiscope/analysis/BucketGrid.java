package io.vmiscope.analysis;

/**
 * The buckets of a timeline over a closed range of nanoseconds, computed exactly for every range the
 * {@code long} type holds — from {@link Long#MIN_VALUE} to {@link Long#MAX_VALUE} included: no step overflows,
 * no width or count is ever 0 or negative, and the buckets always cover the whole range.
 *
 * <p>The range's length ({@code to - from + 1}, up to 2⁶⁴ nanoseconds) does not fit a {@code long}: it is
 * handled as {@code to - from} read unsigned. A bucket is at most {@link Long#MAX_VALUE} nanoseconds wide
 * (292 years), so the widest ranges get two or three buckets even when one is asked for. Pre-aggregated
 * buckets ({@code grain}) are used only for ranges that start at or after the epoch, where a bucket start
 * rounded down to the grain is always representable; ranges before it are counted from the events.
 *
 * @param fromNanos   the start of bucket 0, at or before the range's start
 * @param bucketNanos the width of each bucket, 1 to {@link Long#MAX_VALUE}; a multiple of {@code grain}
 * @param buckets     the number of buckets, at least 1, at most one more than asked for (or 3)
 * @param grain       the width of the pre-aggregated buckets to read, 0 to count the events themselves
 */
record BucketGrid(long fromNanos, long bucketNanos, int buckets, long grain) {

    /**
     * About {@code buckets} buckets over {@code range} (start and end included), on the coarsest grain of
     * {@link Analysis#tableGrain} that fits: the start is rounded down and the width up to whole grains.
     *
     * @param buckets how many buckets are wanted, ≥ 1
     */
    static BucketGrid over(TimeSpan range, int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("a timeline needs at least 1 bucket, not " + buckets);
        }
        // the range's length less one, unsigned: never overflows, as toNanos ≥ fromNanos
        long lengthLessOne = range.toNanos() - range.fromNanos();
        long quotient = Long.divideUnsigned(lengthLessOne, buckets);
        // ceil(length / buckets) = floor((length - 1) / buckets) + 1, capped at Long.MAX_VALUE
        long width = Long.compareUnsigned(quotient, Long.MAX_VALUE) >= 0 ? Long.MAX_VALUE : quotient + 1;
        long from = range.fromNanos();
        long grain = from >= 0 ? Analysis.tableGrain(width) : 0;
        if (grain != 0) {
            from -= from % grain;
            long grains = Math.floorDiv(width - 1, grain) + 1;
            width = grains <= Long.MAX_VALUE / grain ? grains * grain : Long.MAX_VALUE / grain * grain;
        }
        long count = Long.divideUnsigned(range.toNanos() - from, width) + 1;
        return new BucketGrid(from, width, Math.toIntExact(count), grain);
    }

    /** The last nanosecond of the last bucket; {@link Long#MAX_VALUE} when the buckets reach past it. */
    long lastNanos() {
        return lastNanos(fromNanos, bucketNanos, buckets);
    }

    /**
     * {@code fromNanos + bucketNanos · buckets - 1}, saturated at {@link Long#MAX_VALUE}.
     *
     * @param bucketNanos ≥ 1
     * @param buckets     ≥ 1
     */
    static long lastNanos(long fromNanos, long bucketNanos, int buckets) {
        // both factors ≥ 0: the product fits 64 unsigned bits when the high half of the 128-bit one is 0
        if (Math.multiplyHigh(bucketNanos, buckets) != 0) {
            return Long.MAX_VALUE;
        }
        long coveredLessOne = bucketNanos * buckets - 1;
        // unsigned: how far the last bucket ends past fromNanos, against how far Long.MAX_VALUE is
        return Long.compareUnsigned(coveredLessOne, Long.MAX_VALUE - fromNanos) > 0 ? Long.MAX_VALUE
                : fromNanos + coveredLessOne;
    }
}
