package io.vmiscope.monitor;

import io.vmiscope.events.CostSummary;

import java.util.Arrays;

/**
 * The running cost of one action (or of the stops at one hooked function), kept by the monitor's thread; {@link #summary} may be called from any
 * thread. A stop shared by several actions (hooks on the same address) is split evenly among them, so
 * the actions' stopped times add up to the VM's.
 */
final class ActionCost {

    private static final int SAMPLE_CAPACITY = 16_384;

    private final String actionId;
    private long hits;
    private long hitsWithEvents;
    private long hitsFiltered;
    private long hitsFailed;
    private long events;
    private long returnHits;
    private long periodicRuns;
    private long stoppedNanos;
    private double roundTrips;
    private double bytes;
    private long handlerNanos;
    private final long[] samples = new long[SAMPLE_CAPACITY];
    private long sampleCount;
    private long seed = 0x9E3779B97F4A7C15L;

    ActionCost(String actionId) {
        this.actionId = actionId;
    }

    synchronized void hit(HitOutcome outcome, long handlerNanos) {
        hits++;
        this.handlerNanos += handlerNanos;
        switch (outcome) {
            case EVENTS -> hitsWithEvents++;
            case FILTERED -> hitsFiltered++;
            case FAILED -> hitsFailed++;
        }
    }

    synchronized void returnHit(long handlerNanos) {
        returnHits++;
        this.handlerNanos += handlerNanos;
    }

    synchronized void events(int count) {
        events += count;
    }

    synchronized void periodicRun() {
        periodicRuns++;
    }

    /** A share of one stop: its VM-stopped time, round trips and bytes. */
    synchronized void stop(long stoppedNanosShare, double roundTripsShare, double bytesShare) {
        stoppedNanos += stoppedNanosShare;
        roundTrips += roundTripsShare;
        bytes += bytesShare;
        sample(stoppedNanosShare);
    }

    /** A whole stop at a hooked function, when this record counts a site's stops rather than an action's. */
    synchronized void siteStop(long stoppedNanos, double roundTrips, double bytes) {
        hits++;
        hitsWithEvents++;
        stop(stoppedNanos, roundTrips, bytes);
    }

    /** Reservoir sampling keeps percentiles honest over long sessions in bounded memory. */
    private void sample(long value) {
        if (sampleCount < SAMPLE_CAPACITY) {
            samples[(int) sampleCount] = value;
        } else {
            seed ^= seed << 13;
            seed ^= seed >>> 7;
            seed ^= seed << 17;
            long slot = Math.floorMod(seed, sampleCount + 1);
            if (slot < SAMPLE_CAPACITY) {
                samples[(int) slot] = value;
            }
        }
        sampleCount++;
    }

    synchronized CostSummary summary() {
        int n = (int) Math.min(sampleCount, SAMPLE_CAPACITY);
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        long stops = hits + returnHits + periodicRuns;
        return new CostSummary(actionId, hits, hitsWithEvents, hitsFiltered, hitsFailed, events, returnHits,
                periodicRuns, stoppedNanos, NearestRank.percentile(sorted, 50), NearestRank.percentile(sorted, 99),
                stops == 0 ? 0 : roundTrips / stops, stops == 0 ? 0 : bytes / stops,
                stops == 0 ? 0 : handlerNanos / stops);
    }

    /** How one hit of a handler ended. */
    enum HitOutcome { EVENTS, FILTERED, FAILED }
}
