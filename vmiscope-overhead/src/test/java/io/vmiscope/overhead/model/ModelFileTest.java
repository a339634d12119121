package io.vmiscope.overhead.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelFileTest {

    @TempDir
    Path directory;

    @Test
    void fittedModel_survivesARoundTrip() {
        var runs = new SyntheticExperiment(SyntheticExperiment.Truth.typical(), 0.02, 1)
                .runs(SyntheticExperiment.WORKLOADS, SyntheticExperiment.combinations(3), 1);
        OverheadModel model = ModelValidation.fitAndValidate(runs, "compute", FitOptions.defaults()).model();
        Path file = directory.resolve("model.json");

        ModelFile.write(file, model);
        OverheadModel read = ModelFile.read(file);

        assertThat(read).isEqualTo(model);
        assertThat(read.predict(List.of(SyntheticExperiment.FILES, SyntheticExperiment.PSLIST),
                WorkloadRates.pooled(runs).get("httpd"), 2))
                .isEqualTo(model.predict(List.of(SyntheticExperiment.FILES, SyntheticExperiment.PSLIST),
                        WorkloadRates.pooled(runs).get("httpd"), 2));
    }

    @Test
    void savedModel_reportsTheSameFiguresWithoutRefitting() {
        var runs = new SyntheticExperiment(SyntheticExperiment.Truth.typical(), 0.02, 2)
                .runs(SyntheticExperiment.WORKLOADS, SyntheticExperiment.combinations(3), 1);
        OverheadModel model = ModelValidation.fitAndValidate(runs, "httpd", FitOptions.defaults()).model();
        Path file = directory.resolve("model.json");
        ModelFile.write(file, model);

        Evaluation again = ModelValidation.evaluate(ModelFile.read(file), runs);

        assertThat(again.heldOutWorkload()).isEqualTo("httpd");
        assertThat(again.figuresByGroup()).isEqualTo(model.validation().figuresByGroup());
    }

    @Test
    void otherFormatVersion_isRefusedWithAHint() throws Exception {
        Path file = directory.resolve("model.json");
        Files.writeString(file, "{\"formatVersion\": 99}");

        assertThatThrownBy(() -> ModelFile.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model file " + file + " has format 99, this vmiscope reads " + OverheadModel.FORMAT_VERSION + ": fit the model again");
    }

    @Test
    void notJson_isRefused() throws Exception {
        Path file = directory.resolve("model.json");
        Files.writeString(file, "pslist:1s");

        assertThatThrownBy(() -> ModelFile.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a model file: " + file + ": ");
    }
}
