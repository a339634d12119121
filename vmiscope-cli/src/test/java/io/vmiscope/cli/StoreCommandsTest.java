package io.vmiscope.cli;

import io.vmiscope.events.EventJson;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.FileEvent;
import io.vmiscope.events.ProcessRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vmiscope import} and {@code vmiscope export} against a real DuckDB file. */
class StoreCommandsTest {

    private static final long START = 1_764_000_000_000_000_000L;

    @TempDir
    Path dir;

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

    @Test
    void importThenExport_roundTripsTheEvents_andListsBadLines() throws IOException {
        Path log = dir.resolve("monitor.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ProcessRef p = new ProcessRef(200 + i, 200 + i, 1, 0, "sh");
            lines.add(EventJson.toLine(i % 3 == 0
                    ? new ExecEvent(START + i, "demo", "procevents", p, "/bin/ls", List.of("ls", "-l"), true)
                    : new FileEvent(START + i, "demo", "syscalls:file", p, "open", "/etc/f" + i, null, "O_RDONLY",
                    "openat")));
        }
        lines.add(5, "not json at all");
        Files.write(log, lines);
        Path db = dir.resolve("case.duckdb");

        Run imported = run("import", "jsonl", log.toString(), "--vm", "lab", "--db", db.toString());
        assertThat(imported.exit()).isZero();
        assertThat(imported.err().lines()).singleElement().asString().startsWith(log + ":6: ");
        assertThat(imported.out()).contains("31 lines read: 30 gave events, 0 folded into 0 snapshots, 1 rejected,"
                + " 0 blank; 30 events imported, 0 duplicates skipped");

        Run again = run("import", "JSONL", log.toString(), "--vm", "lab", "--db", db.toString());
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("0 events imported, 30 duplicates skipped");

        Path exec = dir.resolve("exec.jsonl");
        Run exported = run("export", "--format", "jsonl", "--out", exec.toString(), "--db", db.toString(),
                "--vm", "lab", "--kind", "exec");
        assertThat(exported.exit()).as(exported.err()).isZero();
        assertThat(exported.out()).contains("exported 10 events to " + exec);
        assertThat(Files.readAllLines(exec)).hasSize(10).allSatisfy(line -> assertThat(line)
                .contains("\"kind\":\"exec\"").contains("\"vm\":\"lab\"").contains("\"name\":\"/bin/ls\""));

        Path all = dir.resolve("all.csv");
        assertThat(run("export", "--format", "csv", "--out", all.toString(), "--db", db.toString()).exit()).isZero();
        assertThat(Files.readAllLines(all)).hasSize(31).first().asString().startsWith("id,time_ns,vm,action,kind,");
        Path parquet = dir.resolve("all.parquet");
        assertThat(run("export", "--format", "parquet", "--out", parquet.toString(), "--db", db.toString()).out())
                .contains("exported 30 events");
    }

    @Test
    void importOfNothingImportable_exitsOne() throws IOException {
        Path junk = Files.write(dir.resolve("junk.jsonl"), List.of("{", "nope"));
        Run run = run("import", "jsonl", junk.toString(), "--vm", "lab", "--db", dir.resolve("s.duckdb").toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().lines()).hasSize(2).allMatch(line -> line.startsWith(junk + ":"));
        assertThat(run.out()).contains("0 events imported");
    }

    @Test
    void exportedJsonLines_importIntoAFreshStore_asTheSameEvents_andAgainUnderAnotherName_addNothing()
            throws IOException {
        Path log = dir.resolve("monitor.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            lines.add(EventJson.toLine(new ExecEvent(START + i, "demo", "procevents",
                    new ProcessRef(300 + i, 300 + i, 1, 0, "sh"), "/bin/id", List.of("id"), true)));
        }
        Files.write(log, lines);
        Path first = dir.resolve("first.duckdb");
        assertThat(run("import", "jsonl", log.toString(), "--vm", "lab", "--db", first.toString()).exit()).isZero();
        Path exported = dir.resolve("export.jsonl");
        assertThat(run("export", "--format", "jsonl", "--out", exported.toString(), "--db", first.toString()).exit())
                .isZero();

        Path second = dir.resolve("second.duckdb");
        Run imported = run("import", "jsonl", exported.toString(), "--vm", "lab", "--db", second.toString());
        assertThat(imported.err()).isEmpty();
        assertThat(imported.out()).contains("12 lines read: 12 gave events, 0 folded into 0 snapshots, 0 rejected,"
                + " 0 blank; 12 events imported");

        Path renamed = Files.move(exported, dir.resolve("renamed.jsonl"));
        assertThat(run("import", "jsonl", renamed.toString(), "--vm", "lab", "--db", second.toString()).out())
                .contains("0 events imported, 12 duplicates skipped");
    }

    @Test
    void aDirectory_aFifo_orADevice_giveOneLineNamingWhy_andCreateNoStore() throws Exception {
        Path fifo = dir.resolve("pipe");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Path db = dir.resolve("never.duckdb");

        assertOneLine(run("import", "drakvuf", dir.toString(), "--vm", "lab", "--db", db.toString()),
                dir + ": is a directory");
        assertOneLine(run("import", "drakvuf", fifo.toString(), "--vm", "lab", "--db", db.toString()),
                fifo + ": not a regular file but a FIFO");
        assertOneLine(run("import", "volatility", "/dev/zero", "--vm", "lab", "--db", db.toString()),
                "/dev/zero: not a regular file but a character device");
        assertThat(db).doesNotExist();
    }

    @Test
    void wrongInputs_giveOneLine() {
        assertOneLine(run("import", "syslog", "x.log", "--vm", "lab"), "unknown format 'syslog'");
        assertOneLine(run("import", "drakvuf", dir.resolve("missing.log").toString(), "--vm", "lab"),
                "missing.log: no such file");
        assertOneLine(run("export", "--format", "xml", "--out", "x"), "unknown format 'xml'");
        assertOneLine(run("export", "--format", "csv", "--out", dir.resolve("x.csv").toString(),
                "--db", dir.resolve("none.duckdb").toString()), "no store at");
    }

    private static void assertOneLine(Run run, String expected) {
        assertThat(run.exit()).isNotZero();
        assertThat(run.err().lines()).singleElement().asString()
                .startsWith("vmiscope: ").contains(expected).doesNotContain("Exception");
    }
}
