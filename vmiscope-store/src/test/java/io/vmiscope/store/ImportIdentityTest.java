package io.vmiscope.store;

import io.vmiscope.store.imports.ImportFormat;
import io.vmiscope.store.imports.ImportItem;
import io.vmiscope.store.imports.LineCounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An imported event is its content: the same content under any name or time is stored once, other content not. */
class ImportIdentityTest {

    private static final long START = 1_764_000_000_000_000_000L;

    @TempDir
    Path dir;

    private static Path fixture(String name) {
        try {
            return Path.of(ImportIdentityTest.class.getResource("/imports/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private DuckDbEventStore store() {
        return DuckDbEventStore.open(dir.resolve("s.duckdb"), StoreOptions.defaults());
    }

    private static ImportSummary run(DuckDbEventStore store, ImportFormat format, Path file, String vm) {
        return new Importer(store, Importer.DEFAULT_BATCH_SIZE, new Importer.Listener() { })
                .run(format.reader(), List.of(file), vm);
    }

    @Test
    void aDrakvufLog_renamedMovedCopiedOrTouched_addsNothing() throws IOException {
        Path log = Files.copy(fixture("drakmon-windows.jsonl"), dir.resolve("drakmon.log"));
        try (DuckDbEventStore store = store()) {
            ImportSummary first = run(store, ImportFormat.DRAKVUF, log, "win10");
            assertThat(first.imported()).isEqualTo(19);

            Path renamed = Files.move(log, dir.resolve("renamed.log"));
            Path moved = Files.move(renamed, Files.createDirectories(dir.resolve("elsewhere")).resolve("drakmon.log"));
            Path copy = Files.copy(moved, dir.resolve("copy.log"));
            Files.setLastModifiedTime(copy, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
            for (Path same : List.of(moved, copy)) {
                ImportSummary again = run(store, ImportFormat.DRAKVUF, same, "win10");
                assertThat(again.imported()).as(same.toString()).isZero();
                assertThat(again.duplicates()).isEqualTo(19);
                assertThat(again.lines()).isEqualTo(first.lines());
            }
            assertThat(store.count(EventFilter.ALL)).isEqualTo(19);
        }
    }

    @Test
    void twoDifferentFilesSharingIdenticalLines_bothKeepTheirs() throws IOException {
        List<String> lines = Files.readAllLines(fixture("drakmon-windows.jsonl"));
        Path a = Files.write(dir.resolve("a.log"), lines.subList(3, 6));
        Path b = Files.write(dir.resolve("b.log"), lines.subList(3, 7));
        try (DuckDbEventStore store = store()) {
            assertThat(run(store, ImportFormat.DRAKVUF, a, "win10").imported()).isEqualTo(3);
            assertThat(run(store, ImportFormat.DRAKVUF, b, "win10").imported()).isEqualTo(5);
            assertThat(store.count(EventFilter.ALL)).isEqualTo(8);
        }
    }

    @Test
    void oneFileImportedForTwoVms_keepsTheEventsOfBoth() throws IOException {
        Path log = Files.copy(fixture("drakmon-linux.jsonl"), dir.resolve("drakmon.log"));
        try (DuckDbEventStore store = store()) {
            long events = run(store, ImportFormat.DRAKVUF, log, "vm-a").imported();
            assertThat(run(store, ImportFormat.DRAKVUF, log, "vm-b").imported()).isEqualTo(events).isPositive();
            assertThat(store.count(EventFilter.ALL.withVm("vm-b"))).isEqualTo(events);
        }
    }

    @Test
    void aVolatilityFileWithoutCreationTimes_touchedAndImportedThrice_isOneEvent() throws IOException, SQLException {
        Path pslist = Files.copy(fixture("linux-pslist-old.jsonl"), dir.resolve("pslist.jsonl"));
        try (DuckDbEventStore store = store()) {
            List<ImportSummary> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Files.setLastModifiedTime(pslist, FileTime.from(Instant.parse("2024-06-0" + (i + 1) + "T00:00:00Z")));
                runs.add(run(store, ImportFormat.VOLATILITY, pslist, "demo"));
            }

            assertThat(runs).extracting(ImportSummary::imported).containsExactly(1L, 0L, 0L);
            assertThat(runs).extracting(ImportSummary::duplicates).containsExactly(0L, 1L, 1L);
            try (Connection c = store.openConnection(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT count(*), count(DISTINCT id), min(time_ns) FROM events")) {
                r.next();
                assertThat(r.getLong(1)).isEqualTo(1);
                assertThat(r.getLong(2)).isEqualTo(1);
                assertThat(r.getLong(3)).as("the first import's time").isEqualTo(
                        Instant.parse("2024-06-01T00:00:00Z").getEpochSecond() * 1_000_000_000L);
            }
        }
    }

    @Test
    void theStore_skipsAnImportedIdAlreadyStored_evenAtAnotherTime() throws IOException {
        Path file = Files.writeString(dir.resolve("one.jsonl"), "{}\n");
        EventRows rows = new EventRows();
        FileContent content = FileContent.of(file);
        AppenderRow atOneTime = rows.imported(new ImportItem.Parsed(SyntheticEvents.event("demo", START, 0),
                file.toString(), 1, 0, "{}", false), content);
        AppenderRow atAnother = rows.imported(new ImportItem.Parsed(SyntheticEvents.event("demo", START + 3_600_000_000_000L,
                0), file.toString(), 1, 0, "{}", false), content);
        assertThat(atAnother.id()).isEqualTo(atOneTime.id());
        assertThat(atAnother.timeNanos()).isNotEqualTo(atOneTime.timeNanos());

        try (DuckDbEventStore store = store(); DuckDbEventStore.ImportBatch batch = store.importBatch()) {
            batch.stage(List.of(atOneTime));
            assertThat(batch.commit()).isEqualTo(1);
            batch.stage(List.of(atAnother));
            assertThat(batch.commit()).as("the same id, an hour later").isZero();
            assertThat(store.count(EventFilter.ALL)).isEqualTo(1);
        }
    }

    @Test
    void theSummary_accountsForEveryLineOfARealisticLog() throws IOException {
        Path log = dir.resolve("drakmon.log");
        List<String> lines = new ArrayList<>(Files.readAllLines(fixture("drakmon-windows.jsonl")));
        lines.add(7, "");
        lines.add("not a record");
        Files.write(log, lines);
        try (DuckDbEventStore store = store()) {
            ImportSummary summary = run(store, ImportFormat.DRAKVUF, log, "win10");

            assertThat(summary.lines()).isEqualTo(new LineCounts(22, 17, 3, 1, 1, 1, 2, 0));
            assertThat(summary.describe()).isEqualTo("22 lines read: 17 gave events, 3 folded into 1 snapshot,"
                    + " 1 rejected, 1 blank; 19 events imported, 0 duplicates skipped;"
                    + " 2 events took their time from other records");
        }
    }
}
