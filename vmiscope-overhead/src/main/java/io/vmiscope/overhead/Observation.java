package io.vmiscope.overhead;

import io.vmiscope.events.CostSummary;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One measured run of a workload under a combination of actions, against the baselines measured
 * around it: what the model is fitted and validated on.
 *
 * @param experiment     the experiment (design) this run belongs to
 * @param run            the run's position in the experiment's randomised order
 * @param workload       the workload's name
 * @param actions        the actions that ran (empty never: a baseline is not an observation)
 * @param vcpus          the VM's vCPU count
 * @param baselineOpsPerSecond  median rate of the baselines around this run (host wall clock)
 * @param opsPerSecond   the rate under monitoring (host wall clock)
 * @param wallSeconds    how long the monitored window lasted
 * @param stopsBySite    stops per hooked function during the window
 * @param stoppedSeconds VM-stopped time during the window as the monitor measured it (all actions)
 * @param costs          each action's cost records for the window
 */
public record Observation(String experiment, int run, String workload, List<ActionProfile> actions, int vcpus,
                          double baselineOpsPerSecond, double opsPerSecond, double wallSeconds,
                          Map<String, Long> stopsBySite, double stoppedSeconds, List<CostSummary> costs) {

    public Observation {
        Objects.requireNonNull(workload, "workload");
        actions = List.copyOf(actions);
        stopsBySite = Map.copyOf(stopsBySite);
        costs = List.copyOf(costs);
        if (actions.isEmpty()) {
            throw new IllegalArgumentException("an observation needs at least one action");
        }
    }

    /** rate without monitoring ÷ rate with monitoring − 1: 0.10 means the workload ran 10% slower. */
    public double slowdown() {
        return baselineOpsPerSecond / opsPerSecond - 1;
    }

    /** The sorted action ids joined by {@code +}, e.g. {@code procevents+pslist:1s}: names a combination. */
    public String combination() {
        return Prediction.combination(actions);
    }
}
