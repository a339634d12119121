package io.vmiscope.cli;

import io.vmiscope.analysis.Analysis;
import io.vmiscope.analysis.EventQuery;
import io.vmiscope.analysis.EventRow;
import io.vmiscope.analysis.Lifetime;
import io.vmiscope.analysis.Page;
import io.vmiscope.analysis.ProcessNode;
import io.vmiscope.analysis.ProcessTree;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.StoreOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live round trip on the demo guest: {@code monitor --db} stores what it sees, and the query layer
 * gives back the processes and events that ground truth made through the test console.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoreRoundTripIT {

    private QemuVm vm;

    @BeforeAll
    void bootGuest() {
        vm = TestGuests.boot("round-trip");
    }

    @AfterAll
    void stopGuest() {
        if (vm != null) {
            vm.stop();
        }
    }

    @Test
    void monitorToStoreToQuery_returnsTheProcessesAndEventsMadeInTheGuest(@TempDir Path dir) {
        Path db = dir.resolve("live.duckdb");
        String command = "echo $$ >/tmp/rt-pid; cat /etc/passwd >/dev/null; exit 4";

        // the guest waits until the monitor is surely attached, then runs the known command
        CliRun run = CliRun.whileGuestRuns(vm, 1, "sleep 4; /bin/busybox sh -c '" + command + "'",
                "monitor", "--vm", vm.name(), "--duration", "9s", "--db", db.toString(), "--json",
                "--action", "pslist:1s", "--action", "procevents", "--action", "syscalls:openat");
        assertThat(run.exit()).as(run.err()).isZero();
        int pid = Integer.parseInt(vm.console().run("cat /tmp/rt-pid").orThrow().output().strip());

        try (DuckDbEventStore store = DuckDbEventStore.open(db, StoreOptions.defaults());
             Analysis analysis = Analysis.open(store)) {
            analysis.refresh(vm.name());
            ProcessTree tree = analysis.processTree(vm.name());

            ProcessNode script = tree.nodes().stream()
                    .filter(n -> n.pid() == pid && "/bin/busybox".equals(n.image())).findFirst()
                    .orElseThrow(() -> new AssertionError("pid " + pid + " not in the stored tree: "
                            + tree.nodes().stream().map(n -> n.pid() + " " + n.image()).toList()));
            assertThat(script.commandLine()).contains("exit 4");
            assertThat(script.exitCode()).isEqualTo(4);
            // whether the console started this pid before the monitor attached depends on the machine's
            // load; either way it exec'd busybox and ended while monitored
            assertThat(script.lifetime()).isIn(Lifetime.ENDED_DURING_MONITORING, Lifetime.STARTED_AND_ENDED);
            assertThat(tree.nodes()).anySatisfy(n -> {
                assertThat(n.name()).isEqualTo("httpd");
                assertThat(n.lifetime()).isEqualTo(Lifetime.RUNNING_BEFORE_MONITORING);
            });

            ProcessNode cat = tree.nodes().stream().filter(n -> n.parent() != null && n.parent().equals(script.key())
                    && n.commandLine() != null && n.commandLine().startsWith("cat /etc/passwd")).findFirst()
                    .orElseThrow(() -> new AssertionError("cat under pid " + pid + ": " + script.children()));
            assertThat(cat.lifetime()).as("forked and ended while monitored").isEqualTo(Lifetime.STARTED_AND_ENDED);
            Page<EventRow> opens = analysis.processEvents(vm.name(), cat.key(),
                    EventQuery.ALL.withNames("openat").containing("/etc/passwd"), 0, 50);
            assertThat(opens.total()).isPositive();
            assertThat(opens.items()).allSatisfy(e -> assertThat(e.pid()).isEqualTo(cat.pid()));
        }
    }
}
