package io.vmiscope.overhead.model;

import io.vmiscope.overhead.Observation;
import io.vmiscope.overhead.model.SyntheticExperiment.Truth;
import io.vmiscope.overhead.report.ErrorTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.vmiscope.overhead.model.SyntheticExperiment.COMPUTE;
import static io.vmiscope.overhead.model.SyntheticExperiment.FILE_IO;
import static io.vmiscope.overhead.model.SyntheticExperiment.HTTPD;
import static io.vmiscope.overhead.model.SyntheticExperiment.SHELL_LOOP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CrossValidationTest {

    private static final Truth TRUTH = Truth.typical()
            .withWorkingSets(Map.of("shell-loop", 1.6, "httpd", 1.0, "compute", 0.5, "file-io", 1.3))
            .withArmed(Map.of("files@shell-loop", 0.4, "files@httpd", 0.1, "files@file-io", 0.6));

    @Test
    void eachWorkloadIsHeldOutOnce_andPredictedFromItsSingleActions() {
        List<Observation> runs = new SyntheticExperiment(TRUTH, 0.02, 11)
                .runs(List.of(SHELL_LOOP, HTTPD, FILE_IO, COMPUTE), SyntheticExperiment.combinations(2), 1);
        List<String> told = new ArrayList<>();

        CrossValidation validation = CrossValidation.run(runs, ObservationSplit.SINGLES, FitOptions.defaults(), told::add);

        assertThat(told).containsExactly("compute", "file-io", "httpd", "shell-loop");
        assertThat(validation.folds()).extracting(CrossValidation.Fold::workload).isEqualTo(told);
        for (CrossValidation.Fold fold : validation.folds()) {
            assertThat(fold.evaluation().rows(ValidationGroup.HELD_OUT_WORKLOAD)).as(fold.workload())
                    .hasSize(15) // the 15 pairs of 6 actions; its 6 single actions were fitted on
                    .allSatisfy(row -> {
                        assertThat(row.measured().workload()).isEqualTo(fold.workload());
                        assertThat(row.measured().actions()).hasSize(2);
                    });
        }
        Evaluation heldOut = validation.heldOut();
        assertThat(heldOut.heldOutWorkload()).isEqualTo(CrossValidation.EACH_WORKLOAD);
        assertThat(heldOut.rows()).hasSize(4 * 15);
        ErrorFigures pooled = validation.pooled().orElseThrow();
        assertThat(pooled.combinations()).isEqualTo(60);
        assertThat(pooled.meetsTarget()).as("%s", pooled).isTrue();

        String table = ErrorTable.crossValidation(validation);
        assertThat(table).startsWith("Each workload held out in turn but its single actions")
                .contains("| file-io | 15 |", "| every held-out prediction | 60 |",
                        "Target on the held-out workloads' predictions (MAPE ≤ 10%, ≥ 90% within ±15%): met.");
    }

    @Test
    void oneWorkload_isRefusedWithOneLine() {
        List<Observation> runs = new SyntheticExperiment(TRUTH, 0, 12)
                .runs(List.of(HTTPD), SyntheticExperiment.combinations(2), 1);

        assertThatThrownBy(() -> CrossValidation.run(runs, ObservationSplit.SINGLES, FitOptions.defaults(), w -> { }))
                .hasMessage("holding out each workload in turn needs at least 2 workloads, the experiment has 1 (httpd)");
    }

    @Test
    void aFoldThatCannotBeFitted_namesItsWorkload() {
        List<Observation> runs = new SyntheticExperiment(TRUTH, 0, 13)
                .runs(List.of(HTTPD, COMPUTE), SyntheticExperiment.combinations(2), 1);

        assertThatThrownBy(() -> CrossValidation.run(runs, "modules:500ms+procevents+files", FitOptions.defaults(), w -> { }))
                .hasMessageStartingWith("holding out compute: no runs of modules:500ms+procevents+files on held-out workload compute");
    }
}
