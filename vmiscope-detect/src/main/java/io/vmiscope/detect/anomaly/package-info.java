/**
 * Syscall-sequence anomaly detection: per-program models of normal syscall sequences, scored by STIDE or a
 * smoothed Markov model, with a threshold chosen on held-out normal traces (docs/detection.md).
 *
 * <pre>
 *   ADFA / UNM files ──TraceFormat──┐                         ┌─▶ Evaluator ──▶ Evaluation (ROC, per family)
 *   store syscalls ──StoreTraces────┴─▶ Trainer ─▶ AnomalyModel ─┼─▶ ModelFile (binary, versioned)
 *                                                            └─▶ AnomalyDetector ──▶ AlertEvent
 * </pre>
 */
package io.vmiscope.detect.anomaly;
