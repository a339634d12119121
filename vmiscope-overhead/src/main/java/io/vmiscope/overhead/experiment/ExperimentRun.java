package io.vmiscope.overhead.experiment;

import java.util.Objects;

/**
 * One run of an overhead experiment, as stored in {@code experiment_runs}: a workload measured with
 * a combination of actions (or none: a baseline). {@link ExperimentStore} keeps the columns an analyst filters on
 * and the run's full detail as JSON written by the overhead module.
 *
 * @param experiment   the experiment's name
 * @param run          the run's position in the experiment's randomised plan (unique per experiment)
 * @param kind         {@code baseline} or {@code monitored}
 * @param workload     the workload's name
 * @param combination  the action ids joined by {@code +}; empty for a baseline
 * @param repetition   which repetition of this workload × combination (0, 1, …)
 * @param timeNanos    when the run ended, epoch nanoseconds
 * @param opsPerSecond the workload's rate during the run, host wall clock
 * @param wallSeconds  the measured window's length
 * @param detailJson   everything else (stops per site, costs, …) as JSON
 */
public record ExperimentRun(String experiment, int run, String kind, String workload, String combination,
                            int repetition, long timeNanos, double opsPerSecond, double wallSeconds,
                            String detailJson) {

    public ExperimentRun {
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(combination, "combination");
        Objects.requireNonNull(detailJson, "detailJson");
    }
}
