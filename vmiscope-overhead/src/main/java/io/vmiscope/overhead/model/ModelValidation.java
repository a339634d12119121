package io.vmiscope.overhead.model;

import io.vmiscope.overhead.Observation;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code overhead fit}: splits the runs ({@link ObservationSplit}), fits on the training part, and
 * compares the model with every measured combination; {@code overhead report}: compares a saved
 * model with runs again, split as when it was validated.
 */
public final class ModelValidation {

    private ModelValidation() {
    }

    /** A fitted model with its validation figures attached, and the comparison they come from. */
    public record ValidatedModel(OverheadModel model, Evaluation evaluation) {
    }

    /**
     * @param observations    every measured run
     * @param heldOutWorkload the workload to keep out of the fit, or {@code null} to validate on
     *                        combinations of 3+ actions only
     * @throws IllegalArgumentException when the held-out workload has no runs, or the fit fails
     */
    public static ValidatedModel fitAndValidate(List<Observation> observations, String heldOutWorkload,
                                                FitOptions options) {
        return fitAndValidate(observations, heldOutWorkload, null, options);
    }

    /**
     * @param heldOutCalibration a combination whose runs on the held-out workload are fitted on, as that
     *                           workload's calibration pass; {@code null} for none
     * @see #fitAndValidate(List, String, FitOptions)
     */
    public static ValidatedModel fitAndValidate(List<Observation> observations, String heldOutWorkload,
                                                String heldOutCalibration, FitOptions options) {
        Set<String> workloads = new TreeSet<>();
        observations.forEach(o -> workloads.add(o.workload()));
        if (heldOutWorkload != null && !workloads.contains(heldOutWorkload)) {
            throw new IllegalArgumentException("no runs of held-out workload " + heldOutWorkload
                    + " (workloads: " + String.join(", ", workloads) + ")");
        }
        ObservationSplit split = new ObservationSplit(heldOutWorkload, heldOutCalibration);
        if (heldOutCalibration != null && observations.stream().noneMatch(o -> o.workload().equals(heldOutWorkload)
                && split.group(o.workload(), o.combination(), o.actions().size()) == ValidationGroup.TRAINING)) {
            throw new IllegalArgumentException("no runs of " + heldOutCalibration + " on held-out workload "
                    + heldOutWorkload + " to calibrate it with");
        }
        OverheadModel fitted = new OverheadModelFitter(options).fit(split.training(observations));
        Evaluation evaluation = Evaluation.of(fitted, observations, split);
        return new ValidatedModel(fitted.withValidation(evaluation.summary()), evaluation);
    }

    /** Compares a fitted (e.g. saved) model with {@code observations}, holding out the workload it was validated without. */
    public static Evaluation evaluate(OverheadModel model, List<Observation> observations) {
        ValidationSummary validation = model.validation();
        return Evaluation.of(model, observations, validation == null ? new ObservationSplit(null)
                : new ObservationSplit(validation.heldOutWorkload(), validation.heldOutCalibration()));
    }
}
