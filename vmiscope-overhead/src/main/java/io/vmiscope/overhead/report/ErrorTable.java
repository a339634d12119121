package io.vmiscope.overhead.report;

import io.vmiscope.overhead.model.ComparedCombination;
import io.vmiscope.overhead.model.ErrorFigures;
import io.vmiscope.overhead.model.Evaluation;
import io.vmiscope.overhead.model.TrainingSummary;
import io.vmiscope.overhead.model.ValidationGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
            ErrorFigures f = line.getValue();
            text.append(String.format(Locale.ROOT, "| %s | %d | %.1f%% | %.0f%% | %.1f%% |%n",
                    group, f.combinations(), f.mapePercent(), f.percentWithin15(), f.maxErrorPercent()));
        }
        text.append('\n');
        text.append(evaluation.validationFigures()
                .map(f -> "Target on held-out combinations (MAPE ≤ 10%, ≥ 90% within ±15%): "
                        + (f.meetsTarget() ? "met" : "not met") + ".\n")
                .orElse("No held-out combinations to validate on.\n"));
        if (!evaluation.skipped().isEmpty()) {
            text.append("Not predicted: ").append(String.join("; ", evaluation.skipped())).append(".\n");
        }
        return text.toString();
    }

    /** One line per combination of the given groups: measured, predicted with its interval, error. */
    public static String combinations(Evaluation evaluation, ValidationGroup... groups) {
        StringBuilder text = new StringBuilder();
        text.append("| workload | combination | vCPUs | runs | measured | predicted | interval | error |\n");
        text.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (ValidationGroup group : groups) {
            for (ComparedCombination row : evaluation.rows(group)) {
                text.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %s | %s | %s – %s | %.1f%% |%n",
                        row.measured().workload(), row.measured().combination(), row.measured().vcpus(),
                        row.measured().repetitions(), percent(row.measured().measuredSlowdown()),
                        percent(row.prediction().slowdown()), percent(row.prediction().low()),
                        percent(row.prediction().high()), row.errorPercent()));
            }
        }
        return text.toString();
    }

    /** A slowdown as a percentage, e.g. {@code 12.3%}. */
    static String percent(double slowdown) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * slowdown);
    }
}
