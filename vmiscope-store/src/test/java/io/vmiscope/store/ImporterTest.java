package io.vmiscope.store;

import io.vmiscope.events.EventJson;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.SyscallArgument;
import io.vmiscope.events.SyscallEvent;
import io.vmiscope.store.imports.ImportFormat;
import io.vmiscope.store.imports.ImportItem;
import io.vmiscope.store.imports.LineCounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImporterTest {

    private static final long START = 1_764_000_000_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void import_storesParsedEvents_reportsRejectedLines_andCountsIt() throws IOException, SQLException {
        Path file = jsonl("a.jsonl", 25, 10);
        List<ImportItem.Rejected> rejected = new ArrayList<>();
        List<ImportSummary> progress = new ArrayList<>();
        try (DuckDbEventStore store = DuckDbEventStore.open(dir.resolve("s.duckdb"), StoreOptions.defaults())) {
            ImportSummary summary = new Importer(store, 10, listener(rejected, progress))
                    .run(ImportFormat.JSONL.reader(), List.of(file), "lab");

            assertThat(summary).isEqualTo(new ImportSummary(new LineCounts(26, 25, 0, 0, 1, 0, 0, 0), 0, 25, 0));
            assertThat(summary.describe()).isEqualTo("26 lines read: 25 gave events, 0 folded into 0 snapshots,"
                    + " 1 rejected, 0 blank; 25 events imported, 0 duplicates skipped");
            assertThat(rejected).singleElement().satisfies(r -> {
                assertThat(r.line()).isEqualTo(11);
                assertThat(r.file()).isEqualTo(file.toString());
                assertThat(r.reason()).isNotBlank();
            });
            assertThat(progress).extracting(ImportSummary::committed).containsExactly(10L, 20L, 25L);
            assertThat(store.count(EventFilter.ALL.withVm("lab"))).isEqualTo(25);
            try (Connection c = store.openConnection(); PreparedStatement q = c.prepareStatement(
                    "SELECT source, source_line, original FROM events ORDER BY source_line LIMIT 1");
                 ResultSet r = q.executeQuery()) {
                r.next();
                assertThat(r.getString(1)).isEqualTo(file.toAbsolutePath().toString());
                assertThat(r.getLong(2)).isEqualTo(1);
                assertThat(r.getString(3)).isEqualTo(Files.readAllLines(file).get(0));
            }
        }
    }

    @Test
    void aLogWithoutAnyTime_isImportedAtTimeZero_andTheSummarySaysSo() throws IOException {
        Path file = Files.writeString(dir.resolve("untimed.log"), """
                {"Plugin":"apimon","PID":9,"ProcessName":"p","Event":"dll_discovered","DllName":"a.dll"}
                {"Plugin":"apimon","PID":9,"ProcessName":"p","Event":"dll_discovered","DllName":"b.dll"}
                """);
        try (DuckDbEventStore store = DuckDbEventStore.open(dir.resolve("s.duckdb"), StoreOptions.defaults())) {
            ImportSummary summary = new Importer(store, 10, new Importer.Listener() { })
                    .run(ImportFormat.DRAKVUF.reader(), List.of(file), "lab");

            assertThat(summary.describe()).endsWith("2 events imported, 0 duplicates skipped;"
                    + " 2 events have no time (stored at time 0): no record before them had one");
        }
    }

    @Test
    void liveIds_areWhatTheyWereBeforeImportedIdsTookTheFilesContent() {
        SyscallEvent e = new SyscallEvent(START, "demo", "syscalls:openat", new ProcessRef(709, 709, 110, 0, "sh"),
                "openat", 257, List.of(new SyscallArgument("filename", "PATH", 140737488346320L, "\"/tmp/f1\"", false,
                false)), "3");

        // computed with the store as it was before content identity (commit 1da8d1d)
        assertThat(new EventRows().live(e).id()).isEqualTo("0795340a3824a0abcfd4b0662347963f");
    }

    @Test
    void sameFile_importedAgain_addsNothing() throws IOException {
        Path file = jsonl("b.jsonl", 1_000, -1);
        try (DuckDbEventStore store = DuckDbEventStore.open(dir.resolve("s.duckdb"), StoreOptions.defaults())) {
            Importer importer = new Importer(store, Importer.DEFAULT_BATCH_SIZE, new Importer.Listener() { });
            assertThat(importer.run(ImportFormat.JSONL.reader(), List.of(file), "lab").imported()).isEqualTo(1_000);
            ImportSummary again = importer.run(ImportFormat.JSONL.reader(), List.of(file), "lab");
            assertThat(again).isEqualTo(new ImportSummary(new LineCounts(1_000, 1_000, 0, 0, 0, 0, 0, 0), 0, 0,
                    1_000));
            assertThat(store.count(EventFilter.ALL)).isEqualTo(1_000);
            assertThat(store.stats()).isEqualTo(new StoreStats(2_000, 1_000, 1_000, 0));
        }
    }

    @Test
    void batchOfSeveralParts_isCommittedWhole_everyBatchSizeEvents() throws IOException {
        int batch = Importer.PART_SIZE + Importer.PART_SIZE / 2;
        Path file = jsonl("c.jsonl", 2 * batch + 5, -1);
        List<ImportSummary> progress = new ArrayList<>();
        try (DuckDbEventStore store = DuckDbEventStore.open(dir.resolve("s.duckdb"), StoreOptions.defaults())) {
            ImportSummary summary = new Importer(store, batch, listener(new ArrayList<>(), progress))
                    .run(ImportFormat.JSONL.reader(), List.of(file), "lab");

            long n = 2L * batch + 5;
            assertThat(summary).isEqualTo(new ImportSummary(new LineCounts(n, n, 0, 0, 0, 0, 0, 0), 0, n, 0));
            assertThat(progress).extracting(ImportSummary::committed)
                    .containsExactly((long) batch, 2L * batch, 2L * batch + 5);
            assertThat(progress).extracting(ImportSummary::linesRead)
                    .containsExactly((long) batch, 2L * batch, 2L * batch + 5);
            assertThat(store.count(EventFilter.ALL)).isEqualTo(2L * batch + 5);
        }
    }

    @Test
    void aMissingFileAmongSeveral_importsNothing_andNamesIt() throws IOException {
        Path file = jsonl("d.jsonl", 25, -1);
        Path missing = dir.resolve("missing.jsonl");
        try (DuckDbEventStore store = DuckDbEventStore.open(dir.resolve("s.duckdb"), StoreOptions.defaults())) {
            Importer importer = new Importer(store, 10, new Importer.Listener() { });

            assertThatThrownBy(() -> importer.run(ImportFormat.JSONL.reader(), List.of(file, missing), "lab"))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessage(missing + ": no such file");
            assertThat(store.count(EventFilter.ALL)).isZero();
        }
    }

    @Test
    void aFileThatChangesWhileItIsImported_endsTheImport_keepingTheBatchesCommittedBefore() throws IOException {
        // 20 batches of 10: the reading thread is held back by the hand-off queue (8 parts) until the first
        // batch is committed, so it reaches the end of the file only after the file grew.
        Path file = jsonl("growing.jsonl", 200, -1);
        List<ImportSummary> progress = new ArrayList<>();
        try (DuckDbEventStore store = DuckDbEventStore.open(dir.resolve("s.duckdb"), StoreOptions.defaults())) {
            Importer importer = new Importer(store, 10, new Importer.Listener() {
                @Override
                public void committed(ImportSummary soFar) {
                    if (progress.isEmpty()) {
                        append(file, EventJson.toLine(SyntheticEvents.event("demo", START, 999)) + "\n");
                    }
                    progress.add(soFar);
                }
            });

            assertThatThrownBy(() -> importer.run(ImportFormat.JSONL.reader(), List.of(file), "lab"))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageStartingWith(file + " changed while it was imported")
                    .hasMessageContaining("source_sha256");
            assertThat(store.count(EventFilter.ALL)).isEqualTo(progress.get(progress.size() - 1).committed())
                    .isPositive();
        }
    }

    @Test
    void importBatch_showsNothingBeforeItsCommit_andSkipsIdsStagedOrStoredBefore() throws IOException {
        Path file = jsonl("e.jsonl", 6, -1);
        List<AppenderRow> all = rows(file, "demo");
        try (DuckDbEventStore store = DuckDbEventStore.open(dir.resolve("s.duckdb"), StoreOptions.defaults());
             DuckDbEventStore.ImportBatch batch = store.importBatch()) {
            batch.stage(all.subList(0, 2));
            assertThat(batch.commit()).isEqualTo(2);

            batch.stage(all.subList(1, 4));
            batch.stage(all.subList(3, 6));
            assertThat(store.count(EventFilter.ALL)).as("staged, not committed").isEqualTo(2);
            assertThat(batch.commit()).isEqualTo(4);
            assertThat(batch.commit()).as("nothing staged").isZero();

            assertThat(store.count(EventFilter.ALL)).isEqualTo(6);
            assertThat(store.stats()).isEqualTo(new StoreStats(8, 6, 2, 0));
        }
    }

    @Test
    void liveEvents_areStoredWhileAnImportTransactionIsOpen_andAClosedBatchDiscardsWhatItDidNotCommit()
            throws IOException {
        Path file = jsonl("e.jsonl", 4, -1);
        List<AppenderRow> imported = rows(file, "imported");
        try (DuckDbEventStore store = DuckDbEventStore.open(dir.resolve("s.duckdb"), StoreOptions.defaults())) {
            try (DuckDbEventStore.ImportBatch batch = store.importBatch()) {
                batch.stage(imported);
                for (int i = 0; i < 3; i++) {
                    store.accept(SyntheticEvents.event("live", START, i));
                }
                store.flush();
                assertThat(store.count(EventFilter.ALL.withVm("live")))
                        .as("live events written beside the open import transaction").isEqualTo(3);
                assertThat(store.count(EventFilter.ALL.withVm("imported"))).isZero();
            }
            assertThat(store.count(EventFilter.ALL)).as("the uncommitted import is gone").isEqualTo(3);

            try (DuckDbEventStore.ImportBatch again = store.importBatch()) {
                again.stage(imported);
                assertThat(again.commit()).as("a new import after the closed one").isEqualTo(4);
            }
            assertThat(store.count(EventFilter.ALL)).isEqualTo(7);
        }
    }

    /** Rows of the events of {@code file}'s lines, as the importer makes them. */
    static List<AppenderRow> rows(Path file, String vm) throws IOException {
        EventRows rows = new EventRows();
        FileContent content = FileContent.of(file);
        List<String> lines = Files.readAllLines(file);
        List<AppenderRow> all = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            all.add(rows.imported(new ImportItem.Parsed(SyntheticEvents.event(vm, START, i), file.toString(), i + 1,
                    0, lines.get(i), false), content));
        }
        return all;
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, text, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code events} vmiscope JSON lines; a broken line after event {@code badAfter} (none when negative). */
    private Path jsonl(String name, int events, int badAfter) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            lines.add(EventJson.toLine(SyntheticEvents.event("demo", START, i)));
            if (i + 1 == badAfter) {
                lines.add("{\"time\": \"not a number\"");
            }
        }
        return Files.write(dir.resolve(name), lines);
    }

    private static Importer.Listener listener(List<ImportItem.Rejected> rejected, List<ImportSummary> progress) {
        return new Importer.Listener() {
            @Override
            public void rejected(ImportItem.Rejected item) {
                rejected.add(item);
            }

            @Override
            public void committed(ImportSummary soFar) {
                progress.add(soFar);
            }
        };
    }
}
