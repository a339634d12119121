package io.vmiscope.overhead.report;

import io.vmiscope.overhead.model.CrossValidation;
import io.vmiscope.overhead.model.Evaluation;
import io.vmiscope.overhead.model.TrainingSummary;
import io.vmiscope.overhead.model.ValidationGroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything {@code overhead fit} and {@code overhead report} write into a directory:
 *
 * <pre>
 *   errors.md                        error figures per group, then every validation combination
 *   combinations.csv                 one row per combination: measured, predicted, interval, error
 *   cost-breakdown.csv               one row per combination × action: predicted share
 *   predicted-vs-measured.png/.svg   scatter with y = x and the ±15% band
 *   cost-breakdown.png/.svg          stacked bars of each action's predicted share, measured marked
 * </pre>
 *
 * and what {@code overhead cross-validate} writes:
 *
 * <pre>
 *   cross-validation.md                          figures per held-out workload and over all, then every prediction
 *   cross-validation.csv                         one row per held-out combination, as in combinations.csv
 *   cross-validation-predicted-vs-measured.png/.svg
 * </pre>
 */
public final class OverheadReport {

    private static final int SCATTER_WIDTH = 1000;
    private static final int SCATTER_HEIGHT = 800;
    private static final int BREAKDOWN_WIDTH = 1100;

    private OverheadReport() {
    }

    /**
     * Creates {@code directory} if needed and writes the report into it, replacing earlier files.
     *
     * @return the files written
     */
    public static List<Path> write(Evaluation evaluation, TrainingSummary training, Path directory) {
        try {
            Files.createDirectories(directory);
            List<Path> written = new ArrayList<>();
            Path table = directory.resolve("errors.md");
            Files.writeString(table, ErrorTable.figures(evaluation, training) + "\n"
                    + ErrorTable.combinations(evaluation, ValidationGroup.MANY_ACTIONS,
                    ValidationGroup.HELD_OUT_WORKLOAD));
            written.add(table);
            Path combinations = directory.resolve("combinations.csv");
            ReportCsv.writeCombinations(evaluation, combinations);
            written.add(combinations);
            Path breakdown = directory.resolve("cost-breakdown.csv");
            ReportCsv.writeBreakdown(evaluation, breakdown);
            written.add(breakdown);
            written.addAll(ChartFiles.write(PredictedVsMeasuredChart.create(evaluation), directory,
                    "predicted-vs-measured", SCATTER_WIDTH, SCATTER_HEIGHT));
            written.addAll(ChartFiles.write(CostBreakdownChart.create(evaluation), directory, "cost-breakdown",
                    BREAKDOWN_WIDTH, CostBreakdownChart.heightFor(evaluation)));
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates {@code directory} if needed and writes the cross-validation into it, replacing earlier files.
     *
     * @return the files written
     */
    public static List<Path> writeCrossValidation(CrossValidation validation, Path directory) {
        try {
            Files.createDirectories(directory);
            List<Path> written = new ArrayList<>();
            Evaluation heldOut = validation.heldOut();
            Path table = directory.resolve("cross-validation.md");
            Files.writeString(table, ErrorTable.crossValidation(validation) + "\n"
                    + ErrorTable.combinations(heldOut, ValidationGroup.HELD_OUT_WORKLOAD));
            written.add(table);
            Path combinations = directory.resolve("cross-validation.csv");
            ReportCsv.writeCombinations(heldOut, combinations);
            written.add(combinations);
            written.addAll(ChartFiles.write(PredictedVsMeasuredChart.create(heldOut), directory,
                    "cross-validation-predicted-vs-measured", SCATTER_WIDTH, SCATTER_HEIGHT));
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cross-validation into " + directory + ": " + e.getMessage(), e);
        }
    }
}
