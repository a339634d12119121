package io.vmiscope.cli;

import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.EventFilter;
import io.vmiscope.store.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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
            // the printed trees are the default snapshot's; the budget controller may add snapshots of its own
            // (process events degraded to snapshots), which are stored too
            long[] printedSnapshots = {0};
            store.forEach(EventFilter.ALL.withKind("processes"), (id, event) -> {
                if (event.action().equals("pslist:1s")) {
                    printedSnapshots[0]++;
                }
            });
            assertThat(printedSnapshots[0]).isEqualTo(2);
        }
    }

    @Test
    void sigterm_endsTheDemoCleanly_detachedFirst_thenTheVmStopped(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo.out");
        Path err = dir.resolve("demo.err");
        Process demo = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), "io.vmiscope.cli.Main", "demo", "--port", "0",
                "--db", dir.resolve("demo.duckdb").toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!Files.readString(out).contains("the UI is at")) {
                assertThat(demo.isAlive()).as("demo runs; stderr: %s", Files.readString(err)).isTrue();
                assertThat(System.nanoTime()).as("UI within 3 min").isLessThan(deadline);
                Thread.sleep(200);
            }

            Thread.sleep(3_000); // monitoring under way, as when a user presses Ctrl-C
            demo.destroy(); // SIGTERM, what a service manager sends and Ctrl-C leads to
            assertThat(demo.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            demo.destroyForcibly();
        }

        // the shutdown hooks (detach, stop QEMU) must not cut the command's own detaching short
        assertThat(Files.readString(err)).contains("vmiscope: cost per action:")
                .doesNotContain("closed while waiting", "connection to GDB stub", "cannot stop VM");
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("")
                .contains("demo-" + demo.pid()))).as("no QEMU of the demo left").isEmpty();
    }
}
