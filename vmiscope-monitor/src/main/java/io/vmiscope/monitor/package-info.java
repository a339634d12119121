/**
 * Introspection actions and the loop that runs them against one VM.
 *
 * <pre>
 *   Action ── hooks (kernel function entries + handlers) ─┐
 *          └─ periodic work (period, VM paused or not) ───┤
 *                                                          ▼
 *   Monitor loop:  resume ─▶ await stop ─▶ registers (1 round trip) ─▶ handlers of every action at
 *                  that address (one stop, shared) ─▶ step over the breakpoint ─▶ resume
 *                  … periodic work when due, control requests (start/stop) while paused
 *   every action: hits, VM-stopped time per hit, round trips and bytes per hit, handler time,
 *                 events emitted and filtered  ─▶ ActionCost / CostSummary
 * </pre>
 */
package io.vmiscope.monitor;
