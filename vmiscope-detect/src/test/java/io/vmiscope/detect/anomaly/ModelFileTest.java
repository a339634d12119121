package io.vmiscope.detect.anomaly;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelFileTest {

    @TempDir
    Path dir;

    private static final List<int[]> NORMAL = List.of(new int[] {1, 2, 3, 4, 5, 1, 2, 3}, new int[] {1, 2, 4, 5, 3},
            new int[] {2, 3, 4, 1, 1}, new int[] {5, 4, 3, 2, 1}, new int[] {1, 2, 3, 4, 5});

    private AnomalyModel trained(Method method) {
        TraceSource source = each -> NORMAL.forEach(t -> each.accept(new Trace("/bin/x", "t", t)));
        return new Trainer(new AnomalyModel.Settings(method, 3, 4), 1000, 0.2, 5).train("m1", source, t -> { });
    }

    @Test
    void roundTrip_keepsSettingsThresholdAndEveryScore() throws IOException {
        for (Method method : Method.values()) {
            AnomalyModel model = trained(method);
            Path file = dir.resolve(method.label() + ".model");
            ModelFile.write(model, file);
            AnomalyModel back = ModelFile.read(file);
            assertThat(back.name()).isEqualTo("m1");
            assertThat(back.settings()).isEqualTo(model.settings());
            assertThat(back.threshold()).isEqualTo(model.threshold());
            assertThat(back.programs().keySet()).containsExactly("/bin/x");
            int[] probe = {1, 2, 9, 3, 4, 5, 5, 5, 1};
            assertThat(back.score("/bin/x", probe)).isEqualTo(model.score("/bin/x", probe));
            assertThat(back.programs().get("/bin/x").sequences()).isEqualTo(model.programs().get("/bin/x").sequences());
        }
    }

    @Test
    void aFileThatIsNoModel_isOneLineNamingIt() throws IOException {
        Path file = dir.resolve("x.model");
        Files.writeString(file, "hello world");
        assertThatThrownBy(() -> ModelFile.read(file)).hasMessage(file + ": not a vmiscope anomaly model");
    }

    @Test
    void aTruncatedModel_isOneLineNamingIt() throws IOException {
        Path file = dir.resolve("m.model");
        ModelFile.write(trained(Method.MARKOV), file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> ModelFile.read(file)).hasMessageStartingWith(file + ": truncated or corrupt model");
    }
}
