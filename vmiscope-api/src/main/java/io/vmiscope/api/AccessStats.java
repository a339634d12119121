package io.vmiscope.api;

/**
 * Cumulative cost counters of a channel to the hypervisor.
 *
 * @param roundTrips   times the client sent and then waited for answers: a pipelined batch of
 *                     requests counts once (this is what the network latency multiplies)
 * @param requests     requests answered (every packet of a batch counts)
 * @param bytesRead    guest bytes delivered to callers
 * @param waitNanos    host wall-clock time spent waiting for responses
 */
public record AccessStats(long roundTrips, long requests, long bytesRead, long waitNanos) {
    public static final AccessStats NONE = new AccessStats(0, 0, 0, 0);

    public AccessStats minus(AccessStats earlier) {
        return new AccessStats(roundTrips - earlier.roundTrips, requests - earlier.requests,
                bytesRead - earlier.bytesRead, waitNanos - earlier.waitNanos);
    }
}
