package io.vmiscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmiscope.detect.anomaly.AnomalyDetector;
import io.vmiscope.detect.anomaly.AnomalyModel;
import io.vmiscope.detect.anomaly.ModelFile;
import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.SyscallEvent;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DetectCommandsTest {

    @TempDir
    Path dir;

    private void trace(Path file, String calls) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, calls + "\n");
    }

    /** An ADFA-shaped data set: normal traces repeat one loop; attacks insert calls the loop never makes. */
    private void adfaLayout() throws IOException {
        for (int i = 0; i < 10; i++) {
            trace(dir.resolve("train/UTD-" + i + ".txt"), "3 4 5 6 3 4 5 6 3 4 5 6".repeat(1 + i % 3));
            trace(dir.resolve("normal/UVD-" + i + ".txt"), "3 4 5 6 3 4 5 6");
        }
        trace(dir.resolve("attack/Hydra_SSH_1/UAD-1.txt"), "3 4 5 6 11 11 11 102 102 3 4");
        trace(dir.resolve("attack/Hydra_SSH_2/UAD-2.txt"), "3 4 11 102 5 6");
        trace(dir.resolve("attack/Meterpreter_1/UAD-3.txt"), "3 4 5 6 3 4 6 5");
    }

    @Test
    void evaluate_printsTheIssuesJsonKeys_andAScoreLinePerTrace() throws IOException {
        adfaLayout();
        Path scores = dir.resolve("scores.csv");
        CliRun run = CliRun.of("detect", "evaluate", "--format", "adfa", "--train", dir.resolve("train").toString(),
                "--normal", dir.resolve("normal").toString(), "--attack", dir.resolve("attack").toString(),
                "--method", "stide", "--window", "3", "--json", "--scores", scores.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("auc").asDouble()).isEqualTo(1.0);
        assertThat(json.get("dr_at_far_5").asDouble()).isEqualTo(1.0);
        assertThat(json.get("far_at_dr_90").asDouble()).isEqualTo(0.0);
        assertThat(json.get("families").fieldNames()).toIterable().containsExactly("Hydra_SSH", "Meterpreter");
        assertThat(json.get("traces").get("normal").asInt()).isEqualTo(10);
        assertThat(json.get("traces").get("attack").asInt()).isEqualTo(3);
        List<String> lines = Files.readAllLines(scores);
        assertThat(lines).hasSize(14).first().isEqualTo("path,label,score");
        assertThat(lines).filteredOn(l -> l.contains(",attack,")).hasSize(3);
    }

    @Test
    void evaluate_malformedTraceFile_isOneLineFileLineReason() throws IOException {
        adfaLayout();
        Path bad = dir.resolve("normal/UVD-3.txt");
        Files.writeString(bad, "3 4\n5 six\n");
        CliRun run = CliRun.of("detect", "evaluate", "--format", "adfa", "--train", dir.resolve("train").toString(),
                "--normal", dir.resolve("normal").toString(), "--attack", dir.resolve("attack").toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("vmiscope: " + bad + ":2: 'six' is not a syscall number");
    }

    @Test
    void trainFromAStore_modelsEachExecutable_andTheDetectorFlagsAnUnusualRun() throws IOException {
        Path db = dir.resolve("s.duckdb");
        try (DuckDbEventStore store = DuckDbEventStore.open(db, StoreOptions.defaults())) {
            long t = 1_000;
            for (int pid = 100; pid < 120; pid++) {
                ProcessRef p = new ProcessRef(pid, pid, 1, 0, "httpd");
                store.accept(new ExecEvent(t++, "vm1", "procevents", p, "/sbin/httpd", List.of(), true));
                for (int loop = 0; loop < 5; loop++) {
                    for (int number : new int[] {0, 1, 3, 232}) {
                        store.accept(new SyscallEvent(t++, "vm1", "syscalls:all", p, "s" + number, number, List.of(),
                                null, "x64"));
                    }
                }
            }
        }
        Path model = dir.resolve("httpd.model");
        CliRun run = CliRun.of("detect", "train", "--db", db.toString(), "--vm", "vm1", "--out", model.toString(),
                "--method", "stide", "--window", "3", "--frame", "4");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("/sbin/httpd").contains("20 traces");
        AnomalyModel trained = ModelFile.read(model);
        assertThat(trained.programs()).containsOnlyKeys("/sbin/httpd");
        assertThat(trained.name()).isEqualTo("httpd");

        AnomalyDetector detector = new AnomalyDetector(trained, 100);
        ProcessRef p = new ProcessRef(500, 500, 1, 0, "httpd");
        List<AlertEvent> alerts = new ArrayList<>(detector.accept("x", new ExecEvent(1, "vm1", "a", p, "/sbin/httpd",
                List.of(), true)));
        int[] shell = {0, 1, 59, 57, 33, 33, 59, 0};
        for (int i = 0; i < shell.length; i++) {
            alerts.addAll(detector.accept("c" + i, new SyscallEvent(2 + i, "vm1", "a", p, "s", shell[i], List.of(),
                    null, "x64")));
        }
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.ruleId()).isEqualTo("httpd"));
    }
}
