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
    void roundTrip_keepsTheSyscallActionItWasTrainedOn() throws IOException {
        Path file = dir.resolve("action.model");
        ModelFile.write(trained(Method.MARKOV).withSyscallAction("syscalls:file,network,process"), file);
        assertThat(ModelFile.read(file).syscallAction()).isEqualTo("syscalls:file,network,process");
    }

    @Test
    void aVersion1Model_stillReads_withoutATrainingAction() throws IOException {
        Path file = dir.resolve("v2.model");
        AnomalyModel model = trained(Method.MARKOV);
        ModelFile.write(model, file);
        byte[] bytes = Files.readAllBytes(file);
        byte[] body = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes, 8, bytes.length - 8))
                .readAllBytes();
        // version 1 has no action: drop its empty UTF string after name "m1", method "markov", window, frame, threshold
        int at = (2 + 2) + (2 + 6) + 4 + 4 + 8 + 8 + 4;
        assertThat(Arrays.copyOfRange(body, at, at + 2)).containsExactly(0, 0);
        java.io.ByteArrayOutputStream v1 = new java.io.ByteArrayOutputStream();
        v1.write(bytes, 0, 7);
        v1.write(1);
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(v1)) {
            gzip.write(body, 0, at);
            gzip.write(body, at + 2, body.length - at - 2);
        }
        Path old = dir.resolve("v1.model");
        Files.write(old, v1.toByteArray());
        AnomalyModel back = ModelFile.read(old);
        assertThat(back.syscallAction()).isEmpty();
        int[] probe = {1, 2, 9, 3, 4, 5, 5, 5, 1};
        assertThat(back.score("/bin/x", probe)).isEqualTo(model.score("/bin/x", probe));
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
