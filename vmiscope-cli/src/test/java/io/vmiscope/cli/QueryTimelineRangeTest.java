package io.vmiscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.SyscallEvent;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.StoreOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code vmiscope query timeline} over a store whose events sit at the epoch and at the last instant a
 * {@code long} holds (2262-04-11T23:47:16.854775807Z): every range is a table or a one-line error.
 */
class QueryTimelineRangeTest {

    private static final List<Long> TIMES = List.of(0L, 1_700_000_000_000_000_000L, Long.MAX_VALUE);

    @TempDir
    Path dir;

    private Path db;

    @BeforeEach
    void storeEventsAtTheEpochAndTheLastInstant() {
        db = dir.resolve("edges.duckdb");
        ProcessRef shell = new ProcessRef(100, 100, 1, 0, "sh");
        try (DuckDbEventStore store = DuckDbEventStore.open(db, StoreOptions.defaults())) {
            TIMES.forEach(t -> store.accept(new SyscallEvent(t, "edge", "syscalls", shell, "getpid", 39, List.of(), "100",
                    "x86_64")));
            store.flush();
        }
    }

    private CliRun timeline(String... range) {
        List<String> args = new java.util.ArrayList<>(List.of("query", "timeline", "--vm", "edge", "--db", db.toString()));
        args.addAll(List.of(range));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void theWholeSpan_includesTheEventAtTheLastInstant() throws Exception {
        CliRun table = timeline();
        CliRun json = timeline("--json", "--buckets", "1");

        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out()).contains("from 1970-01-01T00:00:00Z").containsPattern("100 +sh +3 ");
        assertThat(json.exit()).as(json.err()).isZero();
        JsonNode t = new ObjectMapper().readTree(json.out());
        assertThat(t.get("bucketNanos").asLong()).isPositive();
        assertThat(t.get("buckets").asInt()).isBetween(1, 2);
        assertThat(t.get("lanes").get(0).get("events").asLong()).isEqualTo(3);
    }

    @Test
    void extremeBounds_giveATable() {
        CliRun all = timeline("--from", "0", "--to", Long.toString(Long.MAX_VALUE));
        CliRun iso = timeline("--from", "1677-09-21T00:12:43.145224192Z", "--to", "2262-04-11T23:47:16.854775807Z");
        CliRun last = timeline("--from", Long.toString(Long.MAX_VALUE));

        // whole buckets: the last one, rounded up, reaches the event at the last instant too
        assertThat(all.exit()).as(all.err()).isZero();
        assertThat(all.out()).containsPattern("100 +sh +3 ");
        assertThat(iso.exit()).as(iso.err()).isZero();
        assertThat(iso.out()).contains("from 1677-09-21T00:12:43.145224192Z").containsPattern("100 +sh +3 ");
        assertThat(last.exit()).as(last.err()).isZero();
        assertThat(last.out()).contains("1 buckets").containsPattern("100 +sh +1 ");
    }

    @Test
    void anEndNotAfterTheStart_isOneLineSayingSo() {
        CliRun reversed = timeline("--from", Long.toString(Long.MAX_VALUE), "--to", "0");
        CliRun equal = timeline("--from", "5", "--to", "5");

        assertThat(reversed.exit()).isEqualTo(1);
        assertThat(reversed.err()).isEqualTo("vmiscope: 'to' (0) must be after 'from' (9223372036854775807)"
                + System.lineSeparator());
        assertThat(equal.err()).isEqualTo("vmiscope: 'to' (5) must be after 'from' (5)" + System.lineSeparator());
    }
}
