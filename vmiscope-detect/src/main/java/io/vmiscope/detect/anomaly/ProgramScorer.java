package io.vmiscope.detect.anomaly;

/** A trained program's scorer, read-only and shareable between threads; each trace gets its own state. */
interface ProgramScorer {

    /** A fresh state for a new trace of this program. */
    CallScorer start();
}
