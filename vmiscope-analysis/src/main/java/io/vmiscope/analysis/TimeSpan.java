package io.vmiscope.analysis;

/**
 * A closed time range, nanoseconds since the Unix epoch (host clock). Any two {@code long} values with
 * {@code fromNanos ≤ toNanos} make one, {@link Long#MIN_VALUE}..{@link Long#MAX_VALUE} included.
 *
 * @param fromNanos the first instant
 * @param toNanos   the last instant, ≥ {@code fromNanos}
 */
public record TimeSpan(long fromNanos, long toNanos) {

    public TimeSpan {
        if (toNanos < fromNanos) {
            throw new IllegalArgumentException("a span ends at or after its start: " + fromNanos + ".." + toNanos);
        }
    }

    /**
     * The instants from {@code fromNanos} up to, not including, {@code toNanos}.
     *
     * @throws IllegalArgumentException when {@code toNanos} is not after {@code fromNanos}
     */
    public static TimeSpan halfOpen(long fromNanos, long toNanos) {
        if (toNanos <= fromNanos) {
            throw new IllegalArgumentException("'to' (" + toNanos + ") must be after 'from' (" + fromNanos + ")");
        }
        return new TimeSpan(fromNanos, toNanos - 1);
    }

    /**
     * The range a user asks for with an optional {@code from} and an optional {@code to} (exclusive), each
     * missing bound taken from {@code stored}: without {@code to} the range ends with the last stored instant
     * ({@link Long#MAX_VALUE} included), or is the one instant {@code from} when that is later.
     *
     * @throws IllegalArgumentException when {@code to} is not after the range's start
     */
    public static TimeSpan requested(Long fromNanos, Long toNanos, TimeSpan stored) {
        long from = fromNanos == null ? stored.fromNanos() : fromNanos;
        return toNanos == null ? new TimeSpan(from, Math.max(from, stored.toNanos())) : halfOpen(from, toNanos);
    }
}
