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
    void trainFromAStore_modelsEachExecutableAndApplet_andTheDetectorFlagsAnUnusualRun() throws IOException {
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
            // a busybox applet run by name: its own program, as Sigma's Image names it
            ProcessRef applet = new ProcessRef(99, 99, 1, 0, "sh");
            store.accept(new ExecEvent(t++, "vm1", "procevents", applet, "/proc/self/exe", List.of("nc", "-l"), true));
            store.accept(new SyscallEvent(t, "vm1", "syscalls:all", applet, "s41", 41, List.of(), null, "x64"));
        }
        Path model = dir.resolve("httpd.model");
        CliRun run = CliRun.of("detect", "train", "--db", db.toString(), "--vm", "vm1", "--out", model.toString(),
                "--method", "stide", "--window", "3", "--frame", "4");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("/sbin/httpd").contains("20 traces");
        AnomalyModel trained = ModelFile.read(model);
        assertThat(trained.programs()).containsOnlyKeys("/sbin/httpd", "/bin/nc");
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

    /** Twenty normal runs of /sbin/httpd (one loop of four calls), then at time 10,000 one run that spawns a shell. */
    private Path storeWithNormalRuns_thenAnUnusualOne() {
        Path db = dir.resolve("s.duckdb");
        try (DuckDbEventStore store = DuckDbEventStore.open(db, StoreOptions.defaults())) {
            long t = 1_000;
            for (int pid = 100; pid < 120; pid++) {
                run(store, t, pid, new int[] {0, 1, 3, 232, 0, 1, 3, 232, 0, 1, 3, 232, 0, 1, 3, 232});
                t += 100;
            }
            run(store, 10_000, 500, new int[] {0, 1, 59, 57, 33, 33, 59, 0});
        }
        return db;
    }

    private static void run(DuckDbEventStore store, long t, int pid, int[] calls) {
        ProcessRef p = new ProcessRef(pid, pid, 1, 0, "httpd");
        store.accept(new ExecEvent(t, "vm1", "procevents", p, "/sbin/httpd", List.of(), true));
        for (int i = 0; i < calls.length; i++) {
            store.accept(new SyscallEvent(t + 1 + i, "vm1", "syscalls:file,process", p, "s" + calls[i], calls[i],
                    List.of(), null, "x64"));
        }
    }

    private Path trainedUpTo10000(Path db) {
        Path model = dir.resolve("httpd.model");
        CliRun train = CliRun.of("detect", "train", "--db", db.toString(), "--vm", "vm1", "--to", "10000",
                "--out", model.toString(), "--method", "stide", "--window", "3", "--frame", "4");
        assertThat(train.exit()).as(train.err()).isZero();
        assertThat(train.out()).contains("trained on the events of syscalls:file,process");
        return model;
    }

    @Test
    void detectWithAModel_raisesAnAnomalyAlertBesideTheRules_storedOnce_andNoRulesRunsTheModelAlone() throws IOException {
        Path db = storeWithNormalRuns_thenAnUnusualOne();
        Path model = trainedUpTo10000(db);

        CliRun first = CliRun.of("detect", "--db", db.toString(), "--vm", "vm1", "--model", model.toString(), "--json");
        assertThat(first.exit()).as(first.err()).isZero();
        JsonNode alert = new ObjectMapper().readTree(first.out().lines().filter(l -> l.contains("\"rule_id\":\"httpd\""))
                .findFirst().orElseThrow(() -> new AssertionError("no anomaly alert in " + first.out())));
        assertThat(alert.get("pid").asInt()).isEqualTo(500);
        assertThat(alert.get("title").asText()).isEqualTo("Unusual syscall sequence in /sbin/httpd");
        assertThat(alert.get("evidence")).isNotEmpty();
        assertThat(first.err()).contains("rules, anomaly model httpd (stide, window 3").contains("1 new");

        CliRun again = CliRun.of("detect", "--db", db.toString(), "--vm", "vm1", "--model", model.toString(),
                "--no-rules");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("Unusual syscall sequence in /sbin/httpd pid 500");
        assertThat(again.err()).doesNotContain(" rules,").contains("1 alerts (0 new, 1 stored before)");
        try (DuckDbEventStore store = DuckDbEventStore.open(db, StoreOptions.defaults())) {
            assertThat(store.count(io.vmiscope.store.EventFilter.ALL.withVm("vm1").withKind("alert"))).isEqualTo(1);
        }
    }

    @Test
    void detectWithAMissingCorruptOrOtherVersionModel_isOneLineNamingIt_exitCode2() throws IOException {
        Path db = storeWithNormalRuns_thenAnUnusualOne();
        Path model = trainedUpTo10000(db);
        Path missing = dir.resolve("none.model");
        Path corrupt = dir.resolve("corrupt.model");
        Files.write(corrupt, java.util.Arrays.copyOf(Files.readAllBytes(model), 40));
        Path future = dir.resolve("future.model");
        byte[] bytes = Files.readAllBytes(model);
        bytes[7] = 9;
        Files.write(future, bytes);
        for (var expected : java.util.Map.of(missing, missing + ": no such model file",
                corrupt, corrupt + ": truncated or corrupt model",
                future, future + ": model format version 9, this vmiscope reads versions 1 to 2").entrySet()) {
            CliRun run = CliRun.of("detect", "--db", db.toString(), "--vm", "vm1", "--model", expected.getKey().toString());
            assertThat(run.exit()).as(run.err()).isEqualTo(2);
            assertThat(run.err().strip()).isEqualTo("vmiscope: " + expected.getValue());
        }
        CliRun nothing = CliRun.of("detect", "--db", db.toString(), "--vm", "vm1", "--no-rules");
        assertThat(nothing.exit()).isEqualTo(2);
        assertThat(nothing.err().strip()).isEqualTo("vmiscope: --no-rules leaves nothing to detect with: give an anomaly model");
    }

    @Test
    void monitorAndDemo_withAMissingModel_stopBeforeAttachingOrBooting_exitCode2() {
        Path missing = dir.resolve("none.model");
        CliRun monitor = CliRun.of("monitor", "--vm", "no-such-vm", "--action", "procevents", "--anomaly-model",
                missing.toString());
        assertThat(monitor.exit()).as(monitor.err()).isEqualTo(2);
        assertThat(monitor.err().strip()).isEqualTo("vmiscope: " + missing + ": no such model file");
        CliRun demo = CliRun.of("demo", "--port", "0", "--anomaly-model", missing.toString());
        assertThat(demo.exit()).as(demo.err()).isEqualTo(2);
        assertThat(demo.err().strip()).isEqualTo("vmiscope: " + missing + ": no such model file");
    }

    @Test
    void syscallAdvice_namesTheModelsAction_whenNoneTracesSyscalls_orAnotherOneRuns() throws IOException {
        Path model = trainedUpTo10000(storeWithNormalRuns_thenAnUnusualOne());
        AnomalyModel trained = ModelFile.read(model);
        io.vmiscope.events.ActionSpec procevents = io.vmiscope.events.ActionSpec.parse("procevents");
        assertThat(RuleOptions.syscallAdvice(trained, List.of(procevents), "add --action %s")).contains(
                "the anomaly model httpd scores syscall events, and no action traces syscalls: add --action "
                        + "syscalls:file,process (what it was trained on)");
        assertThat(RuleOptions.syscallAdvice(trained, List.of(procevents,
                io.vmiscope.events.ActionSpec.parse("syscalls:all")), "add --action %s")).hasValueSatisfying(line ->
                assertThat(line).contains("trained on syscalls:file,process, but syscalls:all runs"));
        assertThat(RuleOptions.syscallAdvice(trained, List.of(procevents,
                io.vmiscope.events.ActionSpec.parse("syscalls:file,process")), "add --action %s")).isEmpty();
    }
}
