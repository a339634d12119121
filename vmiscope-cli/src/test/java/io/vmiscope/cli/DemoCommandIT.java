package io.vmiscope.cli;

import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.EventFilter;
import io.vmiscope.store.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's main command, end to end: boots the demo guest, prints its tree, stores what it saw. */
class DemoCommandIT {

    @Test
    void demo_printsTheLiveProcessTree_andStoresWhatItSaw(@TempDir Path dir) {
        Path db = dir.resolve("demo.duckdb");
        CliRun run = CliRun.of("demo", "--count", "2", "--interval", "1", "--db", db.toString(), "--port", "0");

        String printed = run.out();
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(printed).containsPattern("the UI is at http://127\\.0\\.0\\.1:\\d+/\\?token=[0-9a-f]{48} ").containsPattern("processes; appeared \\d+, disappeared \\d+ · UI: http://127").contains("process tree of demo-").contains("httpd -p 80").contains("[kthreadd]");
        try (DuckDbEventStore store = DuckDbEventStore.open(db, StoreOptions.defaults())) {
            assertThat(store.count(EventFilter.ALL.withKind("processes"))).isEqualTo(2);
        }
    }
}
