/**
 * Controlled introspection: what each introspection action costs the monitored VM, measured, modelled
 * and kept within a budget (docs/overhead.md).
 *
 * <pre>
 *   workload ── guest activity with a rate measured on the host's wall clock (ops/s)
 *   experiment ── design (action combinations × workloads × repetitions, randomised, with baselines)
 *                 ──▶ runs ──▶ ExperimentStore (its tables in the store's file, over StoreConnections)
 *                 ──▶ Observation (slowdown, stops per site, costs)
 *   model ── fitted on observations ──▶ SlowdownPredictor: actions + workload rates ──▶ Prediction
 *   budget ── planner (variants that fit a budget) and controller (feedback at run time)
 * </pre>
 *
 * <p>Shared vocabulary: {@link io.vmiscope.overhead.ActionProfile} (where an action stops the VM and
 * what it does periodically), {@link io.vmiscope.overhead.HookRates} (how often a workload reaches
 * each hooked function), {@link io.vmiscope.overhead.Observation} (one measured run),
 * {@link io.vmiscope.overhead.Prediction}.
 */
package io.vmiscope.overhead;
