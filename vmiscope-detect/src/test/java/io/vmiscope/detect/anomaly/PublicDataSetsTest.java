package io.vmiscope.detect.anomaly;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Regression figures on the public data sets in the shared data folder (never copied into the project). */
class PublicDataSetsTest {

    /** {@code shared/data}, found from the module's or the repository's folder upwards. */
    static Path sharedData() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate.resolve("adfa-ld"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no shared/data/adfa-ld above " + Path.of("").toAbsolutePath());
    }

    private static Trainer trainer(Method method) {
        return new Trainer(new AnomalyModel.Settings(method, 6, 20), Trainer.DEFAULT_MAX_SEQUENCES, 0.01, 5);
    }

    @Test
    void certSendmail_bothMethodsSeparateTheIntrusions() {
        Path set = sharedData().resolve("unm/1.Synthetic Sendmail/cert-synthetic");
        for (Method method : Method.values()) {
            Evaluation e = new Evaluator(TraceFormat.UNM, trainer(method), 5)
                    .run(List.of(set.resolve("sendmail.int")), List.of(), List.of(set.resolve("intrusion")), t -> { });
            assertThat(e.normalCount()).isEqualTo(147);
            assertThat(e.attackCount()).isEqualTo(13);
            assertThat(e.roc().orElseThrow().auc()).as(method.label()).isGreaterThan(0.99);
            assertThat(e.familyAucs()).containsOnlyKeys("syslog-local", "syslog-remote");
        }
    }

    @Test
    void adfaTraining_markovThresholdKeepsFalseAlarmsNearItsTarget_onUnseenTraces() {
        Evaluation e = new Evaluator(TraceFormat.ADFA, trainer(Method.MARKOV), 5)
                .run(List.of(sharedData().resolve("adfa-ld/Training_Data_Master")), List.of(), List.of(), t -> { });
        assertThat(e.normalCount()).isEqualTo(833);
        assertThat(e.crossValidated()).hasSize(5);
        assertThat(e.crossValidatedFar()).isBetween(0.0, 0.05);
    }
}
