/**
 * The overhead model: predicts the slowdown any combination of introspection actions causes a
 * workload, fitted on measured runs (docs/overhead.md).
 *
 * <pre>
 *   runs (Observation) ──▶ ObservationSplit ──▶ training: 1–2 actions, all workloads but one
 *                                        └──▶ validation: 3+ actions, and the held-out workload
 *   training ──▶ Calibration (stopped times from the monitor's cost records)
 *            ──▶ FitDesign + non-negative least squares (costs the monitor cannot see:
 *                re-translation after each stop, per vCPU, per action, queueing)
 *            ──▶ OverheadModel (a SlowdownPredictor) ──▶ ModelFile (JSON)
 *   OverheadModel + runs ──▶ Evaluation (predicted vs measured, error figures per group)
 * </pre>
 */
package io.vmiscope.overhead.model;
