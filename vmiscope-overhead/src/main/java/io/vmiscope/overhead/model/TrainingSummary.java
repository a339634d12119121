package io.vmiscope.overhead.model;

import java.util.List;

/**
 * What a model was fitted on and how well it fits there, kept with the model so that a later
 * {@code predict} can say what it rests on.
 *
 * @param experiments   the experiments the training runs came from
 * @param workloads     the training workloads
 * @param observations  how many runs
 * @param combinations  how many workload × combination × vCPU-count groups (each a median of its runs)
 * @param inSample      errors of the fitted model on its own training combinations
 * @param leaveOneOut   errors on each training combination when it was left out of the fit
 * @param notes         what could not be fitted and why (e.g. a single vCPU count)
 */
public record TrainingSummary(List<String> experiments, List<String> workloads, int observations, int combinations,
                              ErrorFigures inSample, ErrorFigures leaveOneOut, List<String> notes) {

    public TrainingSummary {
        experiments = List.copyOf(experiments);
        workloads = List.copyOf(workloads);
        notes = List.copyOf(notes);
    }
}
