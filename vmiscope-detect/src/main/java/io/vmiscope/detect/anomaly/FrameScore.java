package io.vmiscope.detect.anomaly;

/**
 * Turns per-call scores into a trace's score: the highest mean over any frame of {@code frame} consecutive
 * calls (STIDE's "locality frame"), or the mean of all calls when the trace is shorter than a frame or the
 * frame is 0 (the whole trace). Keeps only the frame in memory. Not thread-safe.
 */
final class FrameScore {

    private final double[] ring;
    private long calls;
    private double sum;
    private double highest;

    FrameScore(int frame) {
        if (frame < 0) {
            throw new IllegalArgumentException("frame must be 0 (the whole trace) or more calls, got " + frame);
        }
        ring = frame == 0 ? null : new double[frame];
    }

    /** Adds the next call's score. */
    void add(double callScore) {
        if (ring == null) {
            sum += callScore;
            calls++;
            return;
        }
        int slot = (int) (calls % ring.length);
        sum += callScore - ring[slot];
        ring[slot] = callScore;
        calls++;
        if (calls >= ring.length) {
            highest = Math.max(highest, sum / ring.length);
        }
    }

    /** The mean over the last full frame (or over every call so far, before the first frame is full). */
    double current() {
        return calls == 0 ? 0 : sum / Math.min(calls, frame());
    }

    /** The trace's score so far. */
    double score() {
        if (calls == 0) {
            return 0;
        }
        return calls < frame() ? sum / calls : highest;
    }

    long calls() {
        return calls;
    }

    /** The frame's length in calls; the whole trace ({@code Long.MAX_VALUE}) for frame 0. */
    long frame() {
        return ring == null ? Long.MAX_VALUE : ring.length;
    }
}
