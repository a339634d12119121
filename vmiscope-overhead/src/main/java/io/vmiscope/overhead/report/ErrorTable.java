package io.vmiscope.overhead.report;

import io.vmiscope.overhead.Statistics;
import io.vmiscope.overhead.model.ComparedCombination;
import io.vmiscope.overhead.model.CrossValidation;
import io.vmiscope.overhead.model.ErrorFigures;
import io.vmiscope.overhead.model.Evaluation;
import io.vmiscope.overhead.model.MeasuredCombination;
import io.vmiscope.overhead.model.ObservationSplit;
import io.vmiscope.overhead.model.TrainingSummary;
import io.vmiscope.overhead.model.ValidationGroup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The model's error figures as plain text: Markdown tables that read well in a terminal and paste
 * unchanged into docs/overhead.md.
 */
public final class ErrorTable {

    private ErrorTable() {
    }

    /**
     * One line per validation group (training in-sample and leave-one-out first), then whether the
     * held-out figures meet the target.
     */
    public static String figures(Evaluation evaluation, TrainingSummary training) {
        StringBuilder text = new StringBuilder();
        text.append("| group | combinations | MAPE | within ±15% | max error |\n");
        text.append("|---|---:|---:|---:|---:|\n");
        List<Map.Entry<String, ErrorFigures>> lines = new ArrayList<>();
        lines.add(Map.entry("training, leave-one-out", training.leaveOneOut()));
        lines.addAll(evaluation.figuresByGroup().entrySet());
        for (Map.Entry<String, ErrorFigures> line : lines) {
            String group = line.getKey();
            if (group.equals(ValidationGroup.HELD_OUT_WORKLOAD.label())) {
                group += " (" + evaluation.heldOutWorkload() + ")";
            }
            text.append("| ").append(group).append(" | ").append(cells(line.getValue())).append(" |\n");
        }
        text.append('\n');
        text.append(target("held-out combinations", evaluation.validationFigures(), "No held-out combinations to validate on."));
        text.append(spread(evaluation));
        if (!evaluation.skipped().isEmpty()) {
            text.append("Not predicted: ").append(String.join("; ", evaluation.skipped())).append(".\n");
        }
        return text.toString();
    }

    /**
     * One line per held-out workload — its own figures, and those of the other workloads' combinations
     * of 3+ actions in the same fit — then the figures over every held-out prediction, and whether they
     * meet the target.
     */
    public static String crossValidation(CrossValidation validation) {
        StringBuilder text = new StringBuilder();
        text.append(keeps(validation.calibration())).append("\n\n");
        text.append("| held-out workload | combinations | MAPE | within ±15% | max error | same fit, 3+ actions on the others |\n");
        text.append("|---|---:|---:|---:|---:|---:|\n");
        for (CrossValidation.Fold fold : validation.folds()) {
            String others = fold.evaluation().figures(ValidationGroup.MANY_ACTIONS)
                    .map(f -> String.format(Locale.ROOT, "MAPE %.1f%%, %.0f%% within", f.mapePercent(), f.percentWithin15()))
                    .orElse("–");
            text.append("| ").append(fold.workload()).append(" | ")
                    .append(fold.heldOut().map(ErrorTable::cells).orElse("0 | | |")).append(" | ").append(others).append(" |\n");
        }
        validation.pooled().ifPresent(f -> text.append("| every held-out prediction | ").append(cells(f)).append(" | |\n"));
        text.append('\n');
        text.append(target("the held-out workloads' predictions", validation.pooled(),
                "No held-out workload had combinations besides its calibration pass."));
        return text.toString();
    }

    /** The figures as table cells: combinations | MAPE | within ±15% | max error. */
    private static String cells(ErrorFigures f) {
        return String.format(Locale.ROOT, "%d | %.1f%% | %.0f%% | %.1f%%", f.combinations(), f.mapePercent(),
                f.percentWithin15(), f.maxErrorPercent());
    }

    /** Whether {@code figures} meet the target, in one line; {@code none} when there are none. */
    private static String target(String what, Optional<ErrorFigures> figures, String none) {
        return figures.map(f -> "Target on " + what + " (MAPE ≤ 10%, ≥ 90% within ±15%): "
                + (f.meetsTarget() ? "met" : "not met") + ".\n").orElse(none + "\n");
    }

    private static String keeps(String calibration) {
        if (calibration == null) {
            return "Each workload held out in turn, wholly: the fit sees none of its slowdowns.";
        }
        if (calibration.equals(ObservationSplit.SINGLES)) {
            return "Each workload held out in turn but its single actions (what `overhead calibrate` measures on a workload).";
        }
        return "Each workload held out in turn but its `" + calibration + "` runs (a short calibration pass).";
    }

    /** One line per combination of the given groups: measured, predicted with its interval, error. */
    public static String combinations(Evaluation evaluation, ValidationGroup... groups) {
        StringBuilder text = new StringBuilder();
        text.append("| workload | combination | vCPUs | runs | measured (lowest – highest) | predicted | interval | error |\n");
        text.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (ValidationGroup group : groups) {
            for (ComparedCombination row : evaluation.rows(group)) {
                text.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %s (%s – %s) | %s | %s – %s | %.1f%% |%n",
                        row.measured().workload(), row.measured().combination(), row.measured().vcpus(),
                        row.measured().repetitions(), percent(row.measured().measuredSlowdown()),
                        percent(row.measured().lowestSlowdown()), percent(row.measured().highestSlowdown()),
                        percent(row.prediction().slowdown()), percent(row.prediction().low()),
                        percent(row.prediction().high()), row.errorPercent()));
            }
        }
        return text.toString();
    }

    /**
     * How far repeated runs of the same combination lay apart — the measurement's own noise, against
     * which the ±15% band is to be read; nothing when no combination was run twice.
     */
    static String spread(Evaluation evaluation) {
        double[] spreads = evaluation.rows().stream().map(ComparedCombination::measured)
                .filter(m -> m.repetitions() > 1).mapToDouble(MeasuredCombination::spreadPercent).sorted().toArray();
        if (spreads.length == 0) {
            return "";
        }
        long within = Arrays.stream(spreads).filter(s -> s <= 2 * ErrorFigures.BAND_PERCENT).count();
        return String.format(Locale.ROOT, "Repetitions: (highest − lowest) / median of the %d combinations run more than "
                        + "once: median %.1f%%, largest %.1f%%; %d of them (%.0f%%) at most 30%%, the width of the ±15%% band.%n",
                spreads.length, Statistics.median(spreads), spreads[spreads.length - 1], within, 100.0 * within / spreads.length);
    }

    /** A slowdown as a percentage, e.g. {@code 12.3%}. */
    static String percent(double slowdown) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * slowdown);
    }
}
