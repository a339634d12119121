package io.vmiscope.overhead.model;

import io.vmiscope.overhead.Observation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Every workload held out in turn: the model is fitted once per workload of an experiment, each time
 * without that workload but its calibration pass, and predicts the workload's other combinations. It
 * says how well the model predicts a workload it was not fitted on — over every workload, not over
 * the one a single {@code --held-out} fit happens to pick.
 *
 * @param calibration what each held-out workload keeps in the fit ({@link ObservationSplit#SINGLES}, a
 *                    combination, or {@code null} for nothing)
 * @param folds       one per workload, in name order
 */
public record CrossValidation(String calibration, List<Fold> folds) {

    /** What {@link #heldOut()} names its held-out workload. */
    public static final String EACH_WORKLOAD = "each workload in turn";

    /**
     * One workload held out.
     *
     * @param workload   the held-out workload
     * @param evaluation the model fitted without it, against every combination
     */
    public record Fold(String workload, Evaluation evaluation) {

        /** Its held-out workload's figures; empty when the calibration pass was all it had. */
        public Optional<ErrorFigures> heldOut() {
            return evaluation.figures(ValidationGroup.HELD_OUT_WORKLOAD);
        }
    }

    public CrossValidation {
        folds = List.copyOf(folds);
    }

    /**
     * Fits and validates once per workload of {@code observations}.
     *
     * @param progress told each workload's name before its fit
     * @throws IllegalArgumentException when there are fewer than two workloads, or a fit fails (its message
     *                                  names the workload)
     */
    public static CrossValidation run(List<Observation> observations, String calibration, FitOptions options,
                                      Consumer<String> progress) {
        TreeSet<String> workloads = new TreeSet<>();
        observations.forEach(o -> workloads.add(o.workload()));
        if (workloads.size() < 2) {
            throw new IllegalArgumentException("holding out each workload in turn needs at least 2 workloads, the "
                    + "experiment has " + workloads.size() + (workloads.isEmpty() ? "" : " (" + workloads.first() + ")"));
        }
        List<Fold> folds = new ArrayList<>();
        for (String workload : workloads) {
            progress.accept(workload);
            try {
                folds.add(new Fold(workload, ModelValidation.fitAndValidate(observations, workload, calibration, options)
                        .evaluation()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("holding out " + workload + ": " + e.getMessage(), e);
            }
        }
        return new CrossValidation(calibration, folds);
    }

    /** Every fold's held-out workload rows together, as one evaluation (for the CSV and the plot). */
    public Evaluation heldOut() {
        List<ComparedCombination> rows = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Fold fold : folds) {
            rows.addAll(fold.evaluation().rows(ValidationGroup.HELD_OUT_WORKLOAD));
            fold.evaluation().skipped().stream().filter(s -> s.startsWith(fold.workload() + " ")).forEach(skipped::add);
        }
        return new Evaluation(EACH_WORKLOAD, calibration, rows, skipped);
    }

    /** The figures over every held-out prediction of every fold; empty when there are none. */
    public Optional<ErrorFigures> pooled() {
        return heldOut().figures(ValidationGroup.HELD_OUT_WORKLOAD);
    }
}
