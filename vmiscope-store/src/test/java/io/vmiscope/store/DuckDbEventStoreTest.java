package io.vmiscope.store;

import io.vmiscope.events.CostSummary;
import io.vmiscope.events.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DuckDbEventStoreTest {

    private static final long START = 1_764_000_000_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void hundredThousandEvents_throughTheQueue_areAllStored_andStatsAddUp() {
        int n = 100_000;
        StoreStats stats;
        long started = System.nanoTime();
        try (DuckDbEventStore store = open(StoreOptions.defaults().withQueueCapacity(4_096))) {
            for (int i = 0; i < n; i++) {
                store.accept(SyntheticEvents.event("demo", START, i));
            }
            store.flush();
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("ingested %d events in %.2f s: %.0f events/s%n", n, seconds, n / seconds);
            stats = store.stats();
            assertThat(store.count(EventFilter.ALL)).isEqualTo(n);
            assertThat(store.count(EventFilter.ALL.withKind("exec"))).isEqualTo(n / 4);
            assertThat(store.count(EventFilter.ALL.withVm("other"))).isZero();
        }
        assertThat(stats).isEqualTo(new StoreStats(n, n, 0, 0));
        assertThat(stats.pending()).isZero();
    }

    @Test
    void storedRow_hasTheHeader_theMainName_andTheFieldsAsJson() throws SQLException {
        try (DuckDbEventStore store = open(StoreOptions.defaults())) {
            store.accept(SyntheticEvents.event("demo", START, 0));
            store.flush();
            try (Connection c = store.openConnection(); PreparedStatement q = c.prepareStatement(
                    "SELECT kind, name, pid, process, fields->>'$.syscall', source, source_line, original, length(id)"
                            + " FROM events");
                 ResultSet r = q.executeQuery()) {
                r.next();
                assertThat(r.getString(1)).isEqualTo("syscall");
                assertThat(r.getString(2)).isEqualTo("openat");
                assertThat(r.getInt(3)).isEqualTo(100);
                assertThat(r.getString(4)).isEqualTo("proc0");
                assertThat(r.getString(5)).isEqualTo("openat");
                assertThat(r.getString(6)).isEqualTo("live");
                assertThat(r.getObject(7)).isNull();
                assertThat(r.getObject(8)).isNull();
                assertThat(r.getInt(9)).isEqualTo(32);
            }
        }
    }

    @Test
    void dropMode_dropsWhenFull_countsEveryDrop_andReportsThem() {
        List<String> warnings = new CopyOnWriteArrayList<>();
        int n = 50_000;
        StoreStats stats;
        try (DuckDbEventStore store = open(StoreOptions.defaults().withQueueCapacity(16).withBatchSize(16)
                .withDropWhenFull(true).withWarnings(warnings::add))) {
            for (int i = 0; i < n; i++) {
                store.accept(SyntheticEvents.event("demo", START, i));
            }
            store.flush();
            stats = store.stats();
            assertThat(store.count(EventFilter.ALL)).isEqualTo(stats.stored());
        }
        assertThat(stats.received()).isEqualTo(n);
        assertThat(stats.dropped()).isPositive();
        assertThat(stats.stored() + stats.dropped() + stats.duplicates()).isEqualTo(n);
        assertThat(warnings).isNotEmpty().allMatch(w -> w.startsWith("store queue full: dropped "));
    }

    @Test
    void readers_queryWhileEventsAreWritten() throws Exception {
        int n = 200_000;
        try (DuckDbEventStore store = open(StoreOptions.defaults().withBatchSize(2_000))) {
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicReference<Throwable> writerFailure = new AtomicReference<>();
            Thread producer = new Thread(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        store.accept(SyntheticEvents.event("demo", START, i));
                    }
                    store.flush();
                } catch (Throwable t) {
                    writerFailure.set(t);
                } finally {
                    writing.set(false);
                }
            });
            producer.start();
            List<Long> seen = new ArrayList<>();
            try (Connection reader = store.openConnection()) {
                while (writing.get()) {
                    seen.add(store.count(EventFilter.ALL.withKind("file")));
                    try (PreparedStatement q = reader.prepareStatement(
                            "SELECT count(*) FROM events WHERE time_ns >= ? AND pid = ?")) {
                        q.setLong(1, START);
                        q.setInt(2, 120);
                        try (ResultSet r = q.executeQuery()) {
                            r.next();
                            assertThat(r.getLong(1)).isNotNegative();
                        }
                    }
                }
            }
            producer.join();
            assertThat(writerFailure.get()).isNull();
            assertThat(seen).as("queries ran during ingestion and saw it grow").hasSizeGreaterThan(2).isSorted();
            assertThat(store.count(EventFilter.ALL)).isEqualTo(n);
        }
    }

    @Test
    void sameEvents_ingestedAgain_addNothing() {
        int n = 20_000;
        try (DuckDbEventStore store = open(StoreOptions.defaults())) {
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < n; i++) {
                    store.accept(SyntheticEvents.event("demo", START, i));
                }
                store.flush();
            }
            store.accept(SyntheticEvents.event("demo", START, 7));
            store.accept(SyntheticEvents.event("demo", START, 7));
            store.flush();
            assertThat(store.count(EventFilter.ALL)).isEqualTo(n);
            assertThat(store.stats()).isEqualTo(new StoreStats(2L * n + 2, n, n + 2, 0));
        }
        try (DuckDbEventStore reopened = open(StoreOptions.defaults())) {
            reopened.accept(SyntheticEvents.event("demo", START, 0));
            reopened.flush();
            assertThat(reopened.count(EventFilter.ALL)).isEqualTo(n);
            assertThat(reopened.stats().duplicates()).isEqualTo(1);
        }
    }

    @Test
    void deleteOlderThan_removesOnlyEventsBeforeTheCutoff() {
        long minute = 60_000_000_000L;
        Instant now = Instant.ofEpochSecond(0, START + 100 * minute);
        try (DuckDbEventStore store = open(StoreOptions.defaults().withClock(Clock.fixed(now, ZoneOffset.UTC)))) {
            for (int i = 0; i < 100; i++) {
                store.accept(SyntheticEvents.event("demo", START + i * minute, 0));
            }
            store.flush();
            assertThat(store.deleteOlderThan(Duration.ofMinutes(30))).isEqualTo(70);
            assertThat(store.count(EventFilter.ALL)).isEqualTo(30);
            assertThat(store.count(EventFilter.ALL.between(null, START + 70 * minute))).isZero();
        }
    }

    @Test
    void trimToBytes_deletesTheOldestEvents_untilTheDataFits() throws SQLException {
        int n = 200_000;
        try (DuckDbEventStore store = open(StoreOptions.defaults())) {
            for (int i = 0; i < n; i++) {
                store.accept(SyntheticEvents.event("demo", START, i));
            }
            store.flush();
            assertThat(store.trimToBytes(Long.MAX_VALUE)).isZero();
            long used = usedBytes(store);
            long deleted = store.trimToBytes(used / 2);
            assertThat(deleted).isBetween(n / 4L, n * 3 / 4L);
            assertThat(store.count(EventFilter.ALL)).isEqualTo(n - deleted);
            long newest = START + (n - 1) * 1_000L;
            long oldestKept = START + deleted * 1_000L;
            assertThat(store.count(EventFilter.ALL.between(oldestKept, newest + 1))).isEqualTo(n - deleted);
        }
    }

    @Test
    void costs_areStored_oneRowPerAction_andReadBackPerVm() throws SQLException {
        Instant now = Instant.ofEpochSecond(1_764_000_000L);
        try (DuckDbEventStore store = open(StoreOptions.defaults().withClock(Clock.fixed(now, ZoneOffset.UTC)))) {
            CostSummary file = new CostSummary("syscalls:file", 10, 6, 3, 1, 6, 0, 0, 5_000_000, 400_000, 900_000, 3.5,
                    128, 20_000);
            CostSummary pslist = new CostSummary("pslist:5s", 0, 0, 0, 0, 4, 0, 4, 2_000_000, 0, 0, 0, 0, 0);
            store.recordCosts("demo", List.of(file, pslist));
            store.recordCosts("other", List.of(new CostSummary("procevents", 1, 1, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1)));
            assertThat(store.costs("demo")).containsExactly(pslist, file);
            try (Connection c = store.openConnection(); PreparedStatement q = c.prepareStatement(
                    "SELECT action, hits, hits_failed, stopped_ns, round_trips_per_stop, time_ns FROM costs ORDER BY action");
                 ResultSet r = q.executeQuery()) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("procevents");
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("pslist:5s");
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("syscalls:file");
                assertThat(r.getLong(2)).isEqualTo(10);
                assertThat(r.getLong(3)).isEqualTo(1);
                assertThat(r.getLong(4)).isEqualTo(5_000_000);
                assertThat(r.getDouble(5)).isEqualTo(3.5);
                assertThat(r.getLong(6)).isEqualTo(1_764_000_000L * 1_000_000_000L);
                assertThat(r.next()).isFalse();
            }
        }
    }

    @Test
    void export_writesEveryFormat_withTheFilterApplied_andDuckDbReadsItBack() throws SQLException {
        try (DuckDbEventStore store = open(StoreOptions.defaults())) {
            for (int i = 0; i < 1_000; i++) {
                store.accept(SyntheticEvents.event(i % 2 == 0 ? "demo" : "other", START, i));
            }
            store.flush();
            EventFilter filter = EventFilter.ALL.withVm("demo").withKind("syscall");
            Path jsonl = dir.resolve("out's.jsonl");
            Path csv = dir.resolve("out.csv");
            Path parquet = dir.resolve("out.parquet");
            assertThat(store.export(jsonl, ExportFormat.JSONL, filter)).isEqualTo(250);
            assertThat(store.export(csv, ExportFormat.CSV, filter)).isEqualTo(250);
            assertThat(store.export(parquet, ExportFormat.PARQUET, EventFilter.ALL)).isEqualTo(1_000);
            try (Connection c = store.openConnection()) {
                assertThat(readBack(c, "read_json", jsonl, "count(*) FILTER (WHERE vm = 'demo' AND kind = 'syscall')"))
                        .isEqualTo(250);
                assertThat(readBack(c, "read_json", jsonl, "count(*) FILTER (WHERE fields.syscall = 'openat')"))
                        .isEqualTo(250);
                assertThat(readBack(c, "read_csv", csv, "count(DISTINCT id)")).isEqualTo(250);
                assertThat(readBack(c, "read_parquet", parquet, "count(*) FILTER (WHERE source = 'live')"))
                        .isEqualTo(1_000);
            }
        }
    }

    @Test
    void closedStore_refusesEvents() {
        DuckDbEventStore store = open(StoreOptions.defaults());
        store.close();
        store.close();
        Event event = SyntheticEvents.event("demo", START, 0);
        assertThatThrownBy(() -> store.accept(event)).isInstanceOf(StoreException.class).hasMessageContaining("closed");
    }

    private DuckDbEventStore open(StoreOptions options) {
        return DuckDbEventStore.open(dir.resolve("store.duckdb"), options);
    }

    private static long readBack(Connection c, String function, Path file, String aggregate) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT " + aggregate + " FROM " + function + "(?)")) {
            q.setString(1, file.toString());
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static long usedBytes(DuckDbEventStore store) throws SQLException {
        try (Connection c = store.openConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
            try (ResultSet r = s.executeQuery("SELECT used_blocks * block_size FROM pragma_database_size()")) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
