package io.vmiscope.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The two sides of the store benchmark's import: vmiscope's DRAKVUF import in a child JVM with a heap
 * limit ({@link StoreImportMain}), and DuckDB's own JSON reader loading the same file into a table of a
 * fresh database ({@code CREATE TABLE … AS SELECT * FROM read_json(…)}). Each run uses a new database
 * file in the work folder and deletes it afterwards. Timings run from opening the database to closing
 * it (so both include writing their data to the file); the child JVM's start-up is not included.
 */
public final class StoreImportBenchmark {

    /** The VM name the imported events are stored under. */
    public static final String VM = "bench-win10";

    /** One timed load of the log. */
    public record Run(long lines, long rows, long nanos, long maxHeapBytes, long peakHeapUsedBytes) {

        public double linesPerSecond() {
            return lines / (nanos / 1e9);
        }

        public double rowsPerSecond() {
            return rows / (nanos / 1e9);
        }
    }

    private StoreImportBenchmark() {
    }

    /**
     * Imports {@code log} with vmiscope in a child JVM limited to {@code heapMiB} MiB of heap.
     *
     * @param run a number for the database file's name
     * @throws IllegalStateException when the child fails or rejects lines (the workload is valid DRAKVUF)
     */
    public static Run vmiscope(Path log, long lines, Path dir, int heapMiB, int run) throws IOException,
            InterruptedException {
        Path db = dir.resolve("vmiscope-" + run + ".duckdb");
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heapMiB + "m", "-cp",
                System.getProperty("java.class.path"), StoreImportMain.class.getName(), log.toString(), db.toString(),
                VM, Long.toString(lines)));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out;
        try (InputStream in = child.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int exit = child.waitFor();
        deleteDatabase(db);
        List<String> outLines = out.lines().toList();
        if (exit != 0 || outLines.isEmpty()) {
            throw new IllegalStateException("the import JVM failed (exit " + exit + "); its errors are above");
        }
        JsonNode result = new ObjectMapper().readTree(outLines.get(outLines.size() - 1));
        if (result.get("rejected").asLong() != 0) {
            throw new IllegalStateException("vmiscope rejected " + result.get("rejected").asLong()
                    + " lines of the generated log");
        }
        // the file's lines, not the importer's count (which counts the start-up list as one record)
        return new Run(lines, result.get("events").asLong(), result.get("nanos").asLong(),
                result.get("maxHeapBytes").asLong(), result.get("peakHeapUsedBytes").asLong());
    }

    /**
     * Loads {@code log} with DuckDB's {@code read_json} (newline-delimited; columns, types and sampling as
     * DuckDB detects them by default) into a table of a fresh database, through the DuckDB JDBC driver in this JVM.
     *
     * @throws IllegalStateException when DuckDB loads another number of rows than the log has lines
     */
    public static Run duckDb(Path log, long lines, Path dir, int run) throws SQLException, IOException {
        Path db = dir.resolve("duckdb-" + run + ".duckdb");
        String file = log.toAbsolutePath().toString().replace("'", "''");
        long rows;
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db.toAbsolutePath());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE drakmon AS SELECT * FROM read_json('" + file + "', format = 'newline_delimited')");
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM drakmon")) {
                r.next();
                rows = r.getLong(1);
            }
        }
        long nanos = System.nanoTime() - start;
        deleteDatabase(db);
        if (rows != lines) {
            throw new IllegalStateException("DuckDB loaded " + rows + " rows from " + lines + " lines");
        }
        return new Run(lines, rows, nanos, 0, 0);
    }

    private static void deleteDatabase(Path db) {
        try {
            Files.deleteIfExists(db);
            Files.deleteIfExists(db.resolveSibling(db.getFileName() + ".wal"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + db + ": " + e.getMessage(), e);
        }
    }
}
