package io.vmiscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.EventFilter;
import io.vmiscope.store.StoreOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vmiscope monitor} end to end on the demo guest: JSON lines out, cost summaries that add up, the store. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitorCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SUMMARY = Pattern.compile(
            "  (\\S+): (\\d+) hits \\((\\d+) with events, (\\d+) filtered, (\\d+) failed\\), (\\d+) events");
    private QemuVm vm;

    @BeforeAll
    void bootGuest() {
        vm = TestGuests.boot("monitor-cmd");
    }

    @AfterAll
    void stopGuest() {
        if (vm != null) {
            vm.stop();
        }
    }

    @Test
    void monitor_streamsJsonLines_andPrintsCostSummariesThatAddUp() throws Exception {
        // the workload outlasts the command's start-up even on a loaded machine
        CliRun run = CliRun.whileGuestRuns(vm, 12, "cat /etc/passwd >/dev/null; ls /tmp >/dev/null",
                "monitor", "--vm", vm.name(), "--json", "--duration", "6s",
                "--action", "syscalls:openat,execve", "--action", "procevents", "--process", "cat");
        int exit = run.exit();
        String out = run.out();
        String err = run.err();

        assertThat(exit).as("stderr: %s", err).isZero();
        List<JsonNode> events = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                events.add(JSON.readTree(line));
            }
        }
        assertThat(events).filteredOn(e -> e.get("kind").asText().equals("syscall")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.get("process").asText()).isEqualTo("cat"));
        Matcher m = SUMMARY.matcher(err);
        int summaries = 0;
        while (m.find()) {
            summaries++;
            String action = m.group(1);
            long hits = Long.parseLong(m.group(2));
            long withEvents = Long.parseLong(m.group(3));
            long filtered = Long.parseLong(m.group(4));
            long failed = Long.parseLong(m.group(5));
            long emitted = Long.parseLong(m.group(6));
            assertThat(withEvents + filtered + failed).as(action).isEqualTo(hits);
            assertThat(emitted).as("%s: events printed", action).isEqualTo(events.stream()
                    .filter(e -> e.get("action").asText().equals(action) && !e.get("kind").asText().equals("control"))
                    .count());
            assertThat(filtered).as("%s: other processes were filtered out", action).isPositive();
        }
        assertThat(summaries).as("one summary per action in:%n%s", err).isEqualTo(2);
        assertThat(vm.qmp().isRunning()).isTrue();
    }

    @Test
    void monitorWithDb_storesEveryPrintedEvent_andTheCosts(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("live.duckdb");
        CliRun run = CliRun.whileGuestRuns(vm, 10, "cat /etc/hostname >/dev/null",
                "monitor", "--vm", vm.name(), "--json", "--duration", "5s",
                "--action", "syscalls:openat", "--process", "cat", "--db", db.toString());
        int exit = run.exit();
        String out = run.out();
        String err = run.err();

        assertThat(exit).as("stderr: %s", err).isZero();
        long printed = out.lines().filter(line -> !line.isBlank()).count();
        assertThat(printed).isPositive();
        assertThat(err)
                .contains("vmiscope: store " + db + ": " + printed + " events received: " + printed + " stored");
        try (DuckDbEventStore store = DuckDbEventStore.open(db, StoreOptions.defaults());
             Connection c = store.openConnection();
             PreparedStatement q = c.prepareStatement("SELECT count(*), sum(events) FROM costs WHERE vm = ?")) {
            assertThat(store.count(EventFilter.ALL.withVm(vm.name()))).isEqualTo(printed);
            q.setString(1, vm.name());
            try (ResultSet costs = q.executeQuery()) {
                costs.next();
                assertThat(costs.getLong(1)).isEqualTo(1);
                assertThat(costs.getLong(2)).isPositive();
            }
        }
    }
}
