package io.vmiscope.api;

/**
 * Cumulative cost counters of a channel to the hypervisor.
 *
 * @param roundTrips   request/response exchanges completed
 * @param bytesRead    guest bytes delivered to callers
 * @param waitNanos    host wall-clock time spent waiting for responses
 */
public record AccessStats(long roundTrips, long bytesRead, long waitNanos) {
    public static final AccessStats NONE = new AccessStats(0, 0, 0);

    public AccessStats minus(AccessStats earlier) {
        return new AccessStats(roundTrips - earlier.roundTrips, bytesRead - earlier.bytesRead,
                waitNanos - earlier.waitNanos);
    }
}
