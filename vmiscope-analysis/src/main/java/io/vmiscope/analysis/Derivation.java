package io.vmiscope.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One refresh of the derived tables for one VM, in one transaction on one connection: the tables show the
 * old state or the new one, never a mix, and a failure leaves the old one.
 *
 * <pre>
 *   watermark W = newest event time; if the events up to the previous watermark are unchanged (same count),
 *   only events in (previous W, W] are aggregated (incremental), else all of them (full)
 *
 *   lifecycle events (processes, fork, exec, exit) ──▶ Lifetimes ──▶ processes
 *        ▲                                                              │ ASOF join: events no lifetime covers
 *        └──────────── activity births (up to MAX_ROUNDS rounds) ◀──────┘
 *   events ⋈ASOF processes (pid, latest start ≤ time) ──▶ activity_100ms (0.1 s buckets, column per category)
 *                                                     │      └─▶ activity (1 s), activity_10s (10 s): the same
 *                                                     └─▶ graph_edges (images, files, endpoints)
 * </pre>
 *
 * Lifetimes are always derived whole (lifecycle events are few; they can end processes the previous
 * refresh saw running), but an event never moves to another process when newer events arrive: every change
 * they cause happens after the previous watermark.
 */
final class Derivation {

    /** Rounds of "events no lifetime covers → activity births" before the rest stays unattributed. */
    static final int MAX_ROUNDS = 4;

    /** Width of an {@code activity} bucket. */
    static final long BUCKET_NANOS = 1_000_000_000L;

    /** Width of an {@code activity_10s} bucket. */
    static final long COARSE_BUCKET_NANOS = 10 * BUCKET_NANOS;

    /** Width of an {@code activity_100ms} bucket. */
    static final long FINE_BUCKET_NANOS = BUCKET_NANOS / 10;

    /** The pre-aggregated activity tables by the width of their buckets. */
    static final Map<Long, String> ACTIVITY_TABLES = Map.of(FINE_BUCKET_NANOS, "activity_100ms", BUCKET_NANOS,
            "activity", COARSE_BUCKET_NANOS, "activity_10s");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Attribution: each event joined to the process holding its pid at its time. Binds the vm, then the time
     * range as (exclusive lower bound, inclusive upper bound). The syscall category is looked up with a single
     * equality (NULL for other kinds, which matches nothing) so that DuckDB hashes the join: a condition on
     * the event alone beside it makes a nested-loop join, ~8× slower.
     */
    static final String ATTRIBUTED = """
            FROM events e
            ASOF JOIN processes p ON p.vm = e.vm AND p.pid = e.pid AND e.time_ns >= p.start_ns
            LEFT JOIN syscall_categories c ON c.syscall = CASE WHEN e.kind = 'syscall' THEN e.name END
            WHERE e.vm = ? AND e.time_ns > ? AND e.time_ns <= ? AND (p.end_ns IS NULL OR e.time_ns <= p.end_ns)""";

    /** An event's category: by syscall name for syscalls, else by kind. */
    static final String CATEGORY = """
            CASE e.kind WHEN 'syscall' THEN coalesce(c.category, 'other')
                        WHEN 'exec' THEN 'process' WHEN 'fork' THEN 'process' WHEN 'exit' THEN 'process'
                        WHEN 'file' THEN 'file' WHEN 'network' THEN 'network' ELSE 'other' END""";

    private static final String LIFECYCLE = """
            SELECT time_ns, kind, pid, ppid, uid, process, name, fields
            FROM events WHERE vm = ? AND time_ns <= ? AND kind IN ('processes', 'fork', 'exec', 'exit')
            ORDER BY time_ns, CASE kind WHEN 'processes' THEN 0 WHEN 'fork' THEN 2 WHEN 'exec' THEN 3 ELSE 4 END,
                     source, source_line, id""";

    /** Rank of a birth among lifecycle events of the same time: after a snapshot, before fork/exec/exit. */
    private static final int BIRTH_RANK = 1;

    private static final String GAPS = """
            SELECT e.pid, min(e.time_ns), max(e.time_ns),
                   coalesce(arg_max(e.ppid, e.time_ns) FILTER (WHERE e.ppid >= 0), -1),
                   coalesce(arg_max(e.uid, e.time_ns) FILTER (WHERE e.uid >= 0), -1),
                   coalesce(arg_max(e.process, e.time_ns) FILTER (WHERE e.process <> ''), '')
            FROM events e
            ASOF LEFT JOIN processes p ON p.vm = e.vm AND p.pid = e.pid AND e.time_ns >= p.start_ns
            WHERE e.vm = ? AND e.pid >= 0 AND e.time_ns <= ?
              AND (p.pid IS NULL OR (p.end_ns IS NOT NULL AND e.time_ns > p.end_ns))
            GROUP BY e.pid, p.start_ns""";

    /** Events per category: the columns of {@code activity} after {@code events}, in this order. */
    static final String COUNTS = "count(*), " + String.join(", ", Vocabulary.CATEGORIES.stream()
            .map(category -> "count(*) FILTER (WHERE category = '" + category + "')").toList());

    private static final List<String> COUNTED = Stream.concat(Stream.of("events"), Vocabulary.CATEGORIES.stream())
            .toList();

    /** The names of the columns of {@code activity} from {@code events} on, in the order of {@link #COUNTS}. */
    static final String COUNT_COLUMNS = String.join(", ", COUNTED);

    /** Sums of the {@link #COUNT_COLUMNS}, as BIGINT (DuckDB sums BIGINTs as HUGEINT). */
    static final String SUMS = COUNTED.stream().map(column -> "sum(" + column + ")::BIGINT")
            .collect(Collectors.joining(", "));

    private static final String ACTIVITY = "INSERT INTO new_activity SELECT vm, pid, start_ns, "
            + "time_ns - time_ns % " + FINE_BUCKET_NANOS + " AS bucket_ns, " + COUNTS
            + " FROM (SELECT e.vm, e.pid, p.start_ns, e.time_ns, " + CATEGORY + " AS category " + ATTRIBUTED
            + ") GROUP BY ALL";

    /** Endpoint host: the peer of "peer -> local", without brackets and port. */
    private static final String HOST = """
            CASE WHEN starts_with(peer, '[') AND contains(peer, ']') THEN regexp_extract(peer, '^\\[([^\\]]*)\\]', 1)
                 WHEN regexp_matches(peer, '^[^:]+:[0-9]+$') THEN split_part(peer, ':', 1)
                 ELSE peer END""";

    /**
     * The edges of the behaviour graphs: images (exec), files (file events; DRAKVUF filedelete/fileextractor
     * records), endpoints (network events) and registry keys (DRAKVUF regmon records), each with what the
     * operation did to it ({@code file_operations}: write, delete, else read; an open with a writing flag writes).
     */
    private static final String EDGES = """
            INSERT INTO graph_edges
            SELECT vm, pid, start_ns, edge, target,
                   CASE edge WHEN 'endpoint' THEN %s ELSE regexp_replace(target, '[^/\\\\]*$', '') END,
                   operation, access, count(*), min(time_ns), max(time_ns)
            FROM (
                SELECT t.*,
                       CASE WHEN t.edge NOT IN ('file', 'registry') THEN ''
                            WHEN o.access = 'delete' THEN 'delete'
                            WHEN o.access = 'write' OR regexp_matches(t.detail, 'O_WRONLY|O_RDWR|O_CREAT|O_TRUNC')
                              THEN 'write'
                            ELSE 'read' END AS access
                FROM (
                    SELECT e.vm, e.pid, p.start_ns, e.time_ns,
                           CASE e.kind WHEN 'exec' THEN 'image' WHEN 'file' THEN 'file' WHEN 'network' THEN 'endpoint'
                                       ELSE CASE WHEN (e.fields->>'$.source') = 'regmon' THEN 'registry' ELSE 'file' END
                                       END AS edge,
                           CASE e.kind WHEN 'exec' THEN e.name WHEN 'file' THEN e.fields->>'$.path'
                                       WHEN 'network' THEN e.fields->>'$.address'
                                       WHEN 'imported' THEN CASE edge WHEN 'registry' THEN e.fields->>'$.attributes.Key'
                                                                      ELSE e.fields->>'$.attributes.FileName' END
                                       END AS target,
                           CASE WHEN contains(target, ' -> ') THEN split_part(target, ' -> ', 1) ELSE target END AS peer,
                           CASE e.kind WHEN 'exec' THEN 'exec'
                                       WHEN 'imported' THEN CASE edge WHEN 'registry' THEN e.fields->>'$.method'
                                           ELSE coalesce(nullif(e.fields->>'$.attributes.Reason', ''),
                                                         e.fields->>'$.source') END
                                       ELSE coalesce(e.name, '') END AS operation,
                           coalesce(e.fields->>'$.detail', '') AS detail
                    FROM events e
                    ASOF JOIN processes p ON p.vm = e.vm AND p.pid = e.pid AND e.time_ns >= p.start_ns
                    WHERE e.vm = ? AND e.time_ns > ? AND e.time_ns <= ? AND (p.end_ns IS NULL OR e.time_ns <= p.end_ns)
                      AND (e.kind IN ('exec', 'file', 'network')
                           OR (e.kind = 'imported' AND (e.fields->>'$.tool') = 'drakvuf'
                               AND (e.fields->>'$.source') IN ('regmon', 'filedelete', 'fileextractor')))
                ) t
                LEFT JOIN file_operations o ON t.edge IN ('file', 'registry') AND o.operation = lower(t.operation)
            ) WHERE target IS NOT NULL AND target <> ''
            GROUP BY ALL""".formatted(HOST);

    private static final int INSERT_CHUNK = 256;
    private static final String PROCESS_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final Connection c;
    private final String vm;

    private Derivation(Connection c, String vm) {
        this.c = c;
        this.vm = vm;
    }

    /** Brings the derived tables of {@code vm} up to the newest stored event. */
    static Refresh run(Connection c, String vm) throws SQLException {
        long started = System.nanoTime();
        c.setAutoCommit(false);
        boolean committed = false;
        try {
            Refresh result = new Derivation(c, vm).derive(started);
            c.commit();
            committed = true;
            return result;
        } finally {
            // rolled back on any throwable: turning auto-commit back on would commit the half-done work
            if (!committed) {
                c.rollback();
            }
            c.setAutoCommit(true);
        }
    }

    private Refresh derive(long startedNanos) throws SQLException {
        long watermark;
        long covered;
        try (PreparedStatement q = c.prepareStatement(
                "SELECT coalesce(max(time_ns), " + Long.MIN_VALUE + "), count(*) FROM events WHERE vm = ?")) {
            q.setString(1, vm);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                watermark = r.getLong(1);
                covered = r.getLong(2);
            }
        }
        long previous = previousWatermark();
        if (previous != Long.MIN_VALUE && previous == watermark) {
            return new Refresh(vm, Refresh.Mode.UNCHANGED, 0, processCount(), elapsedMillis(startedNanos));
        }
        boolean incremental = previous != Long.MIN_VALUE && previous < watermark;
        long from = incremental ? previous : Long.MIN_VALUE;
        if (!incremental) {
            for (String table : ACTIVITY_TABLES.values()) {
                delete(table);
            }
            delete("graph_edges");
        }
        int processes = deriveLifetimes(watermark);
        try (Statement s = c.createStatement()) {
            // the new rows go to both tables; a temporary table because prepared DDL takes no parameters
            s.execute("CREATE OR REPLACE TEMP TABLE new_activity AS SELECT * FROM activity LIMIT 0");
        }
        aggregate(ACTIVITY, from, watermark);
        try (Statement s = c.createStatement()) {
            for (Map.Entry<Long, String> table : ACTIVITY_TABLES.entrySet()) {
                s.execute(rollup(table.getValue(), table.getKey()));
            }
            s.execute("DROP TABLE new_activity");
        }
        aggregate(EDGES, from, watermark);
        long analysed = count(from, watermark);
        countEvents();
        delete("analysis_state");
        try (PreparedStatement s = c.prepareStatement("INSERT INTO analysis_state VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, vm);
            s.setInt(2, DerivedTables.FORMAT);
            s.setLong(3, watermark);
            s.setLong(4, covered);
            s.setLong(5, System.currentTimeMillis() * 1_000_000L);
            s.executeUpdate();
        }
        return new Refresh(vm, incremental ? Refresh.Mode.INCREMENTAL : Refresh.Mode.FULL, analysed, processes,
                elapsedMillis(startedNanos));
    }

    /**
     * The previous refresh's watermark when the events up to it are still exactly those it analysed (same
     * count: nothing older arrived late, nothing was deleted), else {@link Long#MIN_VALUE} (refresh fully).
     */
    private long previousWatermark() throws SQLException {
        long watermark;
        long covered;
        try (PreparedStatement q = c.prepareStatement(
                "SELECT watermark_ns, events_covered FROM analysis_state WHERE vm = ? AND format = ?")) {
            q.setString(1, vm);
            q.setInt(2, DerivedTables.FORMAT);
            try (ResultSet r = q.executeQuery()) {
                if (!r.next()) {
                    return Long.MIN_VALUE;
                }
                watermark = r.getLong(1);
                covered = r.getLong(2);
            }
        }
        try (PreparedStatement q = c.prepareStatement("SELECT count(*) FROM events WHERE vm = ? AND time_ns <= ?")) {
            q.setString(1, vm);
            q.setLong(2, watermark);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getLong(1) == covered ? watermark : Long.MIN_VALUE;
            }
        }
    }

    private int deriveLifetimes(long watermark) throws SQLException {
        List<Lifetimes.Birth> births = new ArrayList<>();
        List<Lifetimes.Proc> processes = List.of();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            processes = lifetimes(watermark, births);
            writeProcesses(processes);
            List<Lifetimes.Birth> found = gaps(watermark);
            if (found.isEmpty()) {
                break;
            }
            births.addAll(found);
            births.sort(Comparator.comparingLong(Lifetimes.Birth::firstNanos));
        }
        return processes.size();
    }

    private List<Lifetimes.Proc> lifetimes(long watermark, List<Lifetimes.Birth> births) throws SQLException {
        Lifetimes tracker = new Lifetimes();
        int next = 0;
        try (PreparedStatement q = c.prepareStatement(LIFECYCLE)) {
            q.setString(1, vm);
            q.setLong(2, watermark);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    long time = r.getLong(1);
                    String kind = r.getString(2);
                    int rank = kind.equals("processes") ? 0 : 2;
                    while (next < births.size() && (births.get(next).firstNanos() < time
                            || (births.get(next).firstNanos() == time && rank > BIRTH_RANK))) {
                        tracker.birth(births.get(next++));
                    }
                    apply(tracker, time, kind, r);
                }
            }
        }
        while (next < births.size()) {
            tracker.birth(births.get(next++));
        }
        return tracker.processes();
    }

    private static void apply(Lifetimes tracker, long time, String kind, ResultSet r) throws SQLException {
        int pid = r.getInt(3);
        int ppid = r.getInt(4);
        long uid = r.getLong(5);
        JsonNode fields = parse(r.getString(8));
        switch (kind) {
            case "processes" -> tracker.snapshot(time, fields.path("complete").asBoolean(true), entries(fields));
            case "fork" -> tracker.fork(time, pid, r.getString(6), uid, fields.path("childPid").asInt(-1),
                    fields.path("thread").asBoolean(false));
            case "exec" -> tracker.exec(time, pid, ppid, uid, r.getString(7), strings(fields.path("argv")));
            case "exit" -> tracker.exit(time, pid, fields.path("exitCode").asInt(-1),
                    fields.path("thread").asBoolean(false));
            default -> throw new IllegalStateException("not a lifecycle kind: " + kind);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            // the store wrote this JSON itself; a row that does not parse is skipped like an empty one
            return JSON.createObjectNode();
        }
    }

    private static List<Lifetimes.Entry> entries(JsonNode snapshot) {
        List<Lifetimes.Entry> entries = new ArrayList<>();
        for (JsonNode p : snapshot.path("processes")) {
            entries.add(new Lifetimes.Entry(p.path("pid").asInt(-1), p.path("ppid").asInt(-1),
                    p.path("uid").asLong(-1), p.path("name").asText(""), String.join(" ", strings(p.path("argv"))),
                    p.path("kernelThread").asBoolean(false)));
        }
        return entries;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        for (JsonNode v : array) {
            values.add(v.asText(""));
        }
        return values;
    }

    private List<Lifetimes.Birth> gaps(long watermark) throws SQLException {
        List<Lifetimes.Birth> births = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(GAPS)) {
            q.setString(1, vm);
            q.setLong(2, watermark);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    births.add(new Lifetimes.Birth(r.getInt(1), r.getLong(2), r.getLong(3), r.getInt(4),
                            r.getLong(5), r.getString(6)));
                }
            }
        }
        return births;
    }

    private void writeProcesses(List<Lifetimes.Proc> processes) throws SQLException {
        delete("processes");
        for (int from = 0; from < processes.size(); from += INSERT_CHUNK) {
            List<Lifetimes.Proc> chunk = processes.subList(from, Math.min(processes.size(), from + INSERT_CHUNK));
            String sql = "INSERT INTO processes VALUES " + String.join(", ", Collections.nCopies(
                    chunk.size(), PROCESS_ROW));
            try (PreparedStatement insert = c.prepareStatement(sql)) {
                int i = 0;
                for (Lifetimes.Proc p : chunk) {
                    insert.setString(++i, vm);
                    insert.setInt(++i, p.pid);
                    insert.setLong(++i, p.startNanos);
                    insert.setObject(++i, p.endNanos);
                    insert.setInt(++i, p.ppid);
                    insert.setObject(++i, p.parent == null ? null : p.parent.startNanos);
                    insert.setString(++i, p.name);
                    insert.setString(++i, p.image);
                    insert.setString(++i, p.commandLine);
                    insert.setLong(++i, p.uid);
                    insert.setString(++i, p.origin);
                    insert.setString(++i, p.lifetime().name());
                    insert.setString(++i, p.endReason);
                    insert.setObject(++i, p.exitCode);
                    insert.setBoolean(++i, p.kernelThread);
                    insert.setLong(++i, p.lastActivityNanos);
                    insert.setLong(++i, 0);
                }
                insert.executeUpdate();
            }
        }
    }

    /** Runs one of the attributed aggregations over the events in {@code (from, to]}. */
    private void aggregate(String sql, long from, long to) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, vm);
            s.setLong(2, from);
            s.setLong(3, to);
            s.executeUpdate();
        }
    }

    private long count(long from, long to) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "SELECT count(*) FROM events WHERE vm = ? AND time_ns > ? AND time_ns <= ?")) {
            q.setString(1, vm);
            q.setLong(2, from);
            q.setLong(3, to);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private void countEvents() throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE processes SET events = a.n
                FROM (SELECT pid, start_ns, sum(events) AS n FROM activity WHERE vm = ? GROUP BY pid, start_ns) a
                WHERE processes.vm = ? AND processes.pid = a.pid AND processes.start_ns = a.start_ns""")) {
            s.setString(1, vm);
            s.setString(2, vm);
            s.executeUpdate();
        }
    }

    private int processCount() throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT count(*) FROM processes WHERE vm = ?")) {
            q.setString(1, vm);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private void delete(String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE vm = ?")) {
            s.setString(1, vm);
            s.executeUpdate();
        }
    }

    private static long elapsedMillis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /**
     * The new activity ({@link #FINE_BUCKET_NANOS} buckets) added to {@code table} in buckets of {@code grain}.
     * Rows go in by bucket, so that the zone maps of {@code bucket_ns} let timelines skip most of them.
     */
    private static String rollup(String table, long grain) {
        return "INSERT INTO " + table + " SELECT vm, pid, start_ns, bucket_ns - bucket_ns % " + grain + " AS b, "
                + SUMS + " FROM new_activity GROUP BY ALL ORDER BY b";
    }
}
