package io.vmiscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vmiscope query} over a DRAKVUF log imported into a real DuckDB file. */
class QueryCommandTest {

    /** pid 500 runs wget (whose name carries an escape sequence), exits; pid 500 comes back as sh. */
    private static final List<String> LOG = List.of(
            "{\"Plugin\":\"procmon\",\"TimeStamp\":\"1700001000.000000\",\"PID\":1,\"PPID\":0,\"RunningProcess\":\"systemd\"}",
            "{\"Plugin\":\"procmon\",\"TimeStamp\":\"1700001001.000000\",\"PID\":1,\"PPID\":0,\"TID\":1,\"UserId\":0,"
                    + "\"ProcessName\":\"systemd\",\"Method\":\"kernel_clone\",\"NewPid\":500,\"Flags\":\"0x11\"}",
            "{\"Plugin\":\"procmon\",\"TimeStamp\":\"1700001001.000100\",\"PID\":500,\"PPID\":1,\"TID\":500,\"UserId\":0,"
                    + "\"ProcessName\":\"systemd\",\"Method\":\"do_execveat_common\",\"CommandLine\":\"wget\\u001b[31m x\","
                    + "\"ImagePathName\":\"/usr/bin/wget\\u001b[31m\"}",
            "{\"Plugin\":\"socketmon\",\"TimeStamp\":\"1700001001.000200\",\"PID\":500,\"PPID\":1,\"TID\":500,\"UserId\":0,"
                    + "\"ProcessName\":\"wget\",\"Method\":\"tcp_connect\",\"RemoteIp\":\"203.0.113.9\",\"RemotePort\":80}",
            "{\"Plugin\":\"filetracer\",\"TimeStamp\":\"1700001001.000300\",\"PID\":500,\"PPID\":1,\"TID\":500,\"UserId\":0,"
                    + "\"ProcessName\":\"wget\",\"Method\":\"vfs_write\",\"FileName\":\"/tmp/x.sh\",\"Operation\":\"write\"}",
            "{\"Plugin\":\"procmon\",\"TimeStamp\":\"1700001002.000000\",\"PID\":500,\"PPID\":1,\"TID\":500,\"UserId\":0,"
                    + "\"ProcessName\":\"wget\",\"Method\":\"do_exit\",\"ExitStatus\":0}",
            "{\"Plugin\":\"procmon\",\"TimeStamp\":\"1700001003.000000\",\"PID\":1,\"PPID\":0,\"TID\":1,\"UserId\":0,"
                    + "\"ProcessName\":\"systemd\",\"Method\":\"kernel_clone\",\"NewPid\":500,\"Flags\":\"0x11\"}",
            "{\"Plugin\":\"procmon\",\"TimeStamp\":\"1700001003.000100\",\"PID\":500,\"PPID\":1,\"TID\":500,\"UserId\":0,"
                    + "\"ProcessName\":\"systemd\",\"Method\":\"do_execveat_common\",\"CommandLine\":\"/bin/sh\","
                    + "\"ImagePathName\":\"/bin/sh\"}");

    @TempDir
    Path dir;

    private Path db;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void importLog() throws IOException {
        Path log = dir.resolve("drakmon.log");
        Files.write(log, LOG);
        db = dir.resolve("case.duckdb");
        assertThat(run("import", "drakvuf", log.toString(), "--vm", "lab", "--db", db.toString()).exit()).isZero();
    }

    @Test
    void tree_printsBothHoldersOfAReusedPid_withLifetimes_andEscapesGuestText() {
        Run tree = run("query", "tree", "--vm", "lab", "--db", db.toString());
        assertThat(tree.exit()).as(tree.err()).isZero();
        assertThat(tree.out()).contains("STARTED_AND_ENDED", "STARTED_STILL_RUNNING", "RUNNING_BEFORE_MONITORING")
                .contains("wget\\x1b[31m").doesNotContain("\u001b").contains("3 processes");
        Run at = run("query", "tree", "--vm", "lab", "--db", db.toString(), "--at", "1700001003.5");
        assertThat(at.out()).contains("sh").doesNotContain("wget").contains("2 processes");
    }

    @Test
    void events_ofAPidAtATime_areThatLifetimesOnly_filteredByKind() {
        Run events = run("query", "events", "--vm", "lab", "--db", db.toString(), "--pid", "500", "--at",
                "2023-11-14T22:30:01.5Z", "--kind", "network,file");
        assertThat(events.exit()).as(events.err()).isZero();
        assertThat(events.out()).contains("tcp_connect", "/tmp/x.sh").contains("events 1-2 of 2");
        Run newest = run("query", "events", "--vm", "lab", "--db", db.toString(), "--pid", "500");
        assertThat(newest.out()).contains("process 500 sh").contains("events 1-1 of 1");
    }

    @Test
    void timelineGraphAndSummary_printTables() {
        Run timeline = run("query", "timeline", "--vm", "lab", "--db", db.toString(), "--from", "1700001000.0",
                "--to", "1700001004.0", "--buckets", "4");
        assertThat(timeline.exit()).as(timeline.err()).isZero();
        assertThat(timeline.out()).contains("4 buckets of 1 s").contains("ACTIVITY");
        Run graph = run("query", "graph", "--vm", "lab", "--db", db.toString(), "--pid", "500", "--at", "1700001001.5");
        assertThat(graph.out()).contains("endpoints (1)", "203.0.113.9:80", "files (1)", "/tmp/x.sh");
        Run summary = run("query", "summary", "--vm", "lab", "--db", db.toString());
        assertThat(summary.out()).contains("hosts contacted (1)", "203.0.113.9", "files written (1)", "/bin/sh");
    }

    @Test
    void json_isParseable_andKeepsGuestTextAsData() throws IOException {
        Run tree = run("query", "tree", "--vm", "lab", "--db", db.toString(), "--json");
        JsonNode doc = new ObjectMapper().readTree(tree.out());
        assertThat(doc.path("nodes")).hasSize(3);
        assertThat(doc.path("nodes").get(1).path("image").asText()).isEqualTo("/usr/bin/wget\u001b[31m");
        assertThat(doc.path("nodes").get(1).path("lifetime").asText()).isEqualTo("STARTED_AND_ENDED");
        Run page = run("query", "events", "--vm", "lab", "--db", db.toString(), "--pid", "500", "--json");
        assertThat(new ObjectMapper().readTree(page.out()).path("total").asLong()).isEqualTo(1);
    }

    @Test
    void wrongInputs_giveOneLine() {
        Run noPid = run("query", "graph", "--vm", "lab", "--db", db.toString());
        assertThat(noPid.exit()).isNotZero();
        assertThat(noPid.err().lines()).singleElement().asString().contains("needs --pid");
        Run badView = run("query", "pie", "--vm", "lab", "--db", db.toString());
        assertThat(badView.err()).contains("unknown view 'pie'");
        Run badTime = run("query", "tree", "--vm", "lab", "--db", db.toString(), "--at", "yesterday");
        assertThat(badTime.err()).contains("not a TIME: 'yesterday'");
        Run noStore = run("query", "tree", "--vm", "lab", "--db", dir.resolve("none.duckdb").toString());
        assertThat(noStore.err()).contains("no store at");
    }
}
