package io.vmiscope.overhead.experiment;

import java.util.List;

/**
 * One run of a plan: a workload measured with a combination of actions, or with none (a baseline).
 *
 * @param index      position in the plan, from 1
 * @param workload   the workload's name
 * @param actions    action specs; empty for a baseline
 * @param repetition which repetition of this workload × combination (baselines: which baseline of the block)
 */
public record PlannedRun(int index, String workload, List<String> actions, int repetition) {

    public PlannedRun {
        actions = List.copyOf(actions);
    }

    public boolean baseline() {
        return actions.isEmpty();
    }

    /** The action specs joined by {@code +} in plan order; empty for a baseline. */
    public String combination() {
        return String.join("+", actions);
    }
}
