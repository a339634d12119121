package io.vmiscope.cli;

import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.EventFilter;
import io.vmiscope.store.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's main command, end to end: boots the demo guest, prints its tree, stores what it saw. */
class DemoCommandIT {

    @Test
    void demo_printsTheLiveProcessTree_andStoresWhatItSaw(@TempDir Path dir) {
        Path db = dir.resolve("demo.duckdb");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = Main.commandLine().execute("demo", "--count", "2", "--interval", "1", "--db", db.toString());
        } finally {
            System.setOut(saved);
        }

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        assertThat(printed).contains("process tree of demo-").contains("httpd -p 80").contains("[kthreadd]");
        try (DuckDbEventStore store = DuckDbEventStore.open(db, StoreOptions.defaults())) {
            assertThat(store.count(EventFilter.ALL.withKind("processes"))).isEqualTo(2);
        }
    }
}
