package io.vmiscope.overhead.model;

import io.vmiscope.overhead.HookRates;
import io.vmiscope.overhead.Observation;
import io.vmiscope.overhead.SlowdownPredictor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A predictor's predictions beside the measured slowdowns of every combination, with error figures
 * per validation group. Each workload's hook rates are pooled over all its runs (a counting pass),
 * so the held-out workload's rates are known while its slowdowns are not used.
 *
 * @param heldOutWorkload    the workload kept out of the fit; {@code null} for none
 * @param heldOutCalibration the combination fitted on as the held-out workload's calibration pass; {@code null} for none
 * @param rows            one per measured workload × combination × vCPU count, sorted
 * @param skipped         combinations the predictor could not predict, each with the reason
 */
public record Evaluation(String heldOutWorkload, String heldOutCalibration, List<ComparedCombination> rows,
                         List<String> skipped) {

    /** The label of the figures over every validation combination together. */
    public static final String ALL_VALIDATION = "validation: all";

    public Evaluation {
        rows = List.copyOf(rows);
        skipped = List.copyOf(skipped);
    }

    /** Compares {@code predictor}'s predictions with every combination in {@code observations}. */
    public static Evaluation of(SlowdownPredictor predictor, List<Observation> observations, ObservationSplit split) {
        Map<String, HookRates> rates = WorkloadRates.pooled(observations);
        List<ComparedCombination> rows = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (MeasuredCombination measured : MeasuredCombination.of(observations)) {
            ValidationGroup group = split.group(measured.workload(), measured.combination(), measured.actions().size());
            try {
                rows.add(new ComparedCombination(measured, group,
                        predictor.predict(measured.actions(), rates.get(measured.workload()), measured.vcpus())));
            } catch (IllegalArgumentException e) {
                skipped.add(measured.workload() + " " + measured.combination() + ": " + e.getMessage());
            }
        }
        return new Evaluation(split.heldOutWorkload(), split.heldOutCalibration(), rows, skipped);
    }

    /** The rows of one group. */
    public List<ComparedCombination> rows(ValidationGroup group) {
        return rows.stream().filter(r -> r.group() == group).toList();
    }

    /** The error figures of one group; empty when it has no rows. */
    public Optional<ErrorFigures> figures(ValidationGroup group) {
        return figuresOf(rows(group));
    }

    /** The error figures over every validation row (all groups but training); empty when there are none. */
    public Optional<ErrorFigures> validationFigures() {
        return figuresOf(rows.stream().filter(r -> r.group() != ValidationGroup.TRAINING).toList());
    }

    /** Group label → figures, for each group with rows, then {@link #ALL_VALIDATION}. */
    public Map<String, ErrorFigures> figuresByGroup() {
        Map<String, ErrorFigures> figures = new LinkedHashMap<>();
        for (ValidationGroup group : ValidationGroup.values()) {
            figures(group).ifPresent(f -> figures.put(group.label(), f));
        }
        validationFigures().ifPresent(f -> figures.put(ALL_VALIDATION, f));
        return figures;
    }

    /** The figures as a summary to keep with the model. */
    public ValidationSummary summary() {
        return new ValidationSummary(heldOutWorkload, heldOutCalibration, figuresByGroup());
    }

    private static Optional<ErrorFigures> figuresOf(List<ComparedCombination> rows) {
        return rows.isEmpty() ? Optional.empty()
                : Optional.of(ErrorFigures.of(rows.stream().map(ComparedCombination::errorPercent).toList()));
    }
}
