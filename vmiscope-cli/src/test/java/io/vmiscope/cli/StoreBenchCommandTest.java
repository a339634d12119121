package io.vmiscope.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vmiscope bench store} end to end at tiny sizes: what it prints, not how fast anything is. */
class StoreBenchCommandTest {

    private static final String NUMBER = "[\\d,.]+";

    @TempDir
    Path dir;

    @Test
    void quickRun_printsBothRates_theRatio_andTheThreeQueries_thenDeletesItsFiles() throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute("bench", "store", "--quick", "--lines", "20000", "--query-events", "50000", "--runs",
                "1", "--queries", "5", "--dir", dir.toString());

        assertThat(exit).as(err.toString()).isZero();
        String report = out.toString();
        assertThat(report).containsPattern("bench store — 20,000-line DRAKVUF drakmon.log")
                .containsPattern("vmiscope import \\(-Xmx512m\\) +" + NUMBER + " ")
                .containsPattern("DuckDB read_json → table +" + NUMBER + " ")
                .containsPattern("vmiscope vs DuckDB: +" + NUMBER + "× DuckDB's lines/s")
                .containsPattern("queries over 50,000 stored events")
                .containsPattern("refresh \\(pre-processing\\): " + NUMBER + " s")
                .containsPattern("process tree \\(random moment\\) +" + NUMBER + " ms +" + NUMBER + " ms")
                .containsPattern("timeline \\(random window, 120 buckets\\) +" + NUMBER + " ms +" + NUMBER + " ms")
                .containsPattern("process events \\(random process, page of 100\\) +" + NUMBER + " ms +" + NUMBER
                        + " ms")
                .contains("goal ≥ 0.5×", "p95 goal ≤ 200 ms");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }
}
