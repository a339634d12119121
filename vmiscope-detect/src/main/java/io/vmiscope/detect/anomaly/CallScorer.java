package io.vmiscope.detect.anomaly;

/** The state of scoring one trace: sees its syscalls in order. Not thread-safe. */
interface CallScorer {

    /**
     * Sees the next syscall.
     *
     * @return how unusual it is here: 0 for expected, higher for less expected (the method's unit)
     */
    double next(int syscall);
}
