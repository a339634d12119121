package io.vmiscope.store;

import io.vmiscope.events.EventJson;
import io.vmiscope.store.imports.ImportFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kill -9} during an import loses nothing reported as committed; re-running completes it exactly. */
class ImportKillRecoveryTest {

    private static final int EVENTS = 300_000;
    private static final int BATCH = 2_000;

    @TempDir
    Path dir;

    @Test
    void importKilledMidway_keepsEveryCommittedBatch_andReRunCompletesItWithoutDuplicates() throws Exception {
        Path jsonl = dir.resolve("events.jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(jsonl, StandardCharsets.UTF_8)) {
            for (int i = 0; i < EVENTS; i++) {
                out.write(EventJson.toLine(SyntheticEvents.event("demo", 1_764_000_000_000_000_000L, i)));
                out.write('\n');
            }
        }
        Path db = dir.resolve("store.duckdb");

        long lastCommitted = runAndKillAfterBatches(db, jsonl, 5);

        try (DuckDbEventStore store = DuckDbEventStore.open(db, StoreOptions.defaults())) {
            long survived = store.count(EventFilter.ALL);
            assertThat(survived).isGreaterThanOrEqualTo(lastCommitted).isLessThan(EVENTS);
            ImportSummary rerun = new Importer(store, BATCH, new Importer.Listener() { })
                    .run(ImportFormat.JSONL.reader(), List.of(jsonl), "demo");
            assertThat(rerun.duplicates()).isEqualTo(survived);
            assertThat(rerun.imported()).isEqualTo(EVENTS - survived);
            assertThat(rerun.rejected()).isZero();
            assertThat(store.count(EventFilter.ALL)).isEqualTo(EVENTS);
        }
    }

    /** Starts {@link ImportChild}, kills it forcibly after {@code batches} reported commits, returns the last N. */
    private static long runAndKillAfterBatches(Path db, Path jsonl, int batches) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                ImportChild.class.getName(), db.toString(), jsonl.toString(), Integer.toString(BATCH))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        long last = 0;
        int seen = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (seen < batches && (line = lines.readLine()) != null) {
                assertThat(line).startsWith("committed ");
                last = Long.parseLong(line.substring("committed ".length()));
                seen++;
            }
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(seen).as("batches reported before the kill").isEqualTo(batches);
        assertThat(last).isEqualTo((long) batches * BATCH);
        return last;
    }
}
