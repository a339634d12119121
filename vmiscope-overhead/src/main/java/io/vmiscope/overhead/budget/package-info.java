/**
 * Keeping introspection inside a per-VM budget (a maximum slowdown).
 *
 * <pre>
 *   request (--action specs) ──▶ Planner ── ActionCatalog: each variant's sites
 *                                   │     ── SlowdownPredictor: each combination's slowdown
 *                                   ▼
 *   Plan: the request's prediction; when its upper end is over the budget, the combinations of
 *         variants that fit (fewer syscalls, longer snapshot periods, snapshots instead of events,
 *         duty cycles), most coverage first; a Ladder of steps per action
 *                                   │
 *                                   ▼
 *   BudgetController ── every interval: MonitorControl costs ──▶ estimated slowdown
 *                       ──▶ degrade / restore one step ──▶ ControlEvent with the reason
 * </pre>
 *
 * <p>{@link io.vmiscope.overhead.budget.StoppedTimePredictor} predicts from measured stopped time when
 * no fitted model is at hand.
 */
package io.vmiscope.overhead.budget;
