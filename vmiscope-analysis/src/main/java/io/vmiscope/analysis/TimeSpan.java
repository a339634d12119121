package io.vmiscope.analysis;

/**
 * A closed time range, nanoseconds since the Unix epoch (host clock).
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
}
