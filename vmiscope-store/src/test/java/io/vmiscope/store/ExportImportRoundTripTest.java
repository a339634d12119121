package io.vmiscope.store;

import io.vmiscope.events.AnomalyEvent;
import io.vmiscope.events.ControlEvent;
import io.vmiscope.events.ExitEvent;
import io.vmiscope.events.ForkEvent;
import io.vmiscope.events.ModuleSnapshotEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.ProcessSnapshotEvent;
import io.vmiscope.store.imports.ImportFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code export --format jsonl} and {@code import jsonl} round-trip: the export is read as the events it holds. */
class ExportImportRoundTripTest {

    private static final long START = 1_764_000_000_000_000_000L;
    private static final String EVENT_COLUMNS =
            "time_ns, vm, action, kind, pid, tid, ppid, uid, process, name, fields::VARCHAR";

    @TempDir
    Path dir;

    @Test
    void aStoreExportedAsJsonLines_andImportedIntoAFreshStoreAsTheSameVm_holdsTheSameEvents() throws Exception {
        Path exported = dir.resolve("export.jsonl");
        List<String> original;
        try (DuckDbEventStore store = DuckDbEventStore.open(dir.resolve("a.duckdb"), StoreOptions.defaults())) {
            ProcessRef sh = new ProcessRef(7, 8, 1, 0, "sh \"quoted\"\n");
            for (int i = 0; i < 40; i++) {
                store.accept(SyntheticEvents.event("lab", START, i));
            }
            store.accept(new ForkEvent(START + 1, "lab", "procevents", sh, 9, 9, false));
            store.accept(new ExitEvent(START + 2, "lab", "procevents", sh, -1, 9, true));
            store.accept(new ProcessSnapshotEvent(START + 3, "lab", "pslist:5s", ProcessRef.NONE,
                    List.of(new ProcessSnapshotEvent.Entry(1, 1, 0, 0, 0, "init", List.of("/sbin/init"), 'S', false,
                            100)), List.of(1), List.of(), true, true));
            store.accept(new ModuleSnapshotEvent(START + 4, "lab", "modules:5s", ProcessRef.NONE,
                    List.of(new ModuleSnapshotEvent.Entry("ext4", "Live", 0xffffffffc0000000L, 4096)), List.of("ext4"),
                    List.of(), true));
            store.accept(new AnomalyEvent(START + 5, "lab", "pslist:5s", ProcessRef.NONE, "CYCLE", "task_struct",
                    "at 0xffff"));
            store.accept(new ControlEvent(START + 6, "lab", "budget", ProcessRef.NONE, "stopped", "over budget"));
            store.flush();
            new Importer(store, Importer.DEFAULT_BATCH_SIZE, new Importer.Listener() { })
                    .run(ImportFormat.DRAKVUF.reader(), List.of(fixture("drakmon-windows.jsonl")), "lab");
            original = events(store);
            assertThat(store.export(exported, ExportFormat.JSONL, EventFilter.ALL)).isEqualTo(original.size());
        }

        try (DuckDbEventStore fresh = DuckDbEventStore.open(dir.resolve("b.duckdb"), StoreOptions.defaults())) {
            ImportSummary summary = new Importer(fresh, Importer.DEFAULT_BATCH_SIZE, new Importer.Listener() { })
                    .run(ImportFormat.JSONL.reader(), List.of(exported), "lab");

            assertThat(summary.rejected()).isZero();
            assertThat(summary.imported()).isEqualTo(original.size());
            assertThat(events(fresh)).containsExactlyElementsOf(original);
        }
    }

    private static List<String> events(DuckDbEventStore store) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = store.openConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT " + EVENT_COLUMNS + " FROM events ORDER BY ALL")) {
            while (r.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= 11; i++) {
                    row.append(r.getString(i)).append(" | ");
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(ExportImportRoundTripTest.class.getResource("/imports/" + name).toURI());
    }
}
