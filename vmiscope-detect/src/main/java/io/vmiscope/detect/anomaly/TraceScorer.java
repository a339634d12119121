package io.vmiscope.detect.anomaly;

/**
 * Scores one trace as it goes: feed it a process's syscalls in order, read its score at any time. Memory is
 * one frame, whatever the trace's length. Not thread-safe: one per process.
 */
public final class TraceScorer {

    private final CallScorer calls;
    private final FrameScore frames;

    TraceScorer(CallScorer calls, int frame) {
        this.calls = calls;
        this.frames = new FrameScore(frame);
    }

    /** Sees the next syscall (numbered as {@link Syscalls} says); returns that call's own score. */
    public double add(int syscall) {
        double score = calls.next(syscall);
        frames.add(score);
        return score;
    }

    /** Scores a whole trace. */
    public double addAll(int[] syscalls) {
        for (int syscall : syscalls) {
            add(syscall);
        }
        return score();
    }

    /** The trace's score so far: the highest frame mean (higher = more anomalous). */
    public double score() {
        return frames.score();
    }

    /** The mean of the last frame (or of every call, before a frame is full). */
    public double currentFrame() {
        return frames.current();
    }

    /** Whether at least a frame's worth of calls has been seen. */
    public boolean frameFull() {
        return frames.calls() >= frames.frame();
    }

    public long calls() {
        return frames.calls();
    }
}
