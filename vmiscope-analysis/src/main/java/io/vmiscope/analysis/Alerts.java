package io.vmiscope.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmiscope.events.AlertEvent;
import io.vmiscope.store.AlertMarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The queries over stored alerts (events of kind {@code alert}, docs/detection.md) and their marks
 * ({@code alert_marks}, docs/store.md) behind {@link Analysis}'s alert methods. Reads the {@code events} table, so
 * alerts stored since the last refresh are listed; only the process an alert is about comes from the process tree
 * of the last refresh. Every value is bound as a parameter.
 */
final class Alerts {

    private static final AlertEvent.Level[] LEVELS = AlertEvent.Level.values();

    /** An alert's level as its rank in {@link AlertEvent.Level} (0 = informational); unknown levels rank 0. */
    private static final String LEVEL_RANK = "coalesce(list_position(["
            + Arrays.stream(LEVELS).map(l -> "'" + l.label() + "'").collect(Collectors.joining(", "))
            + "], e.fields->>'$.level') - 1, 0)";

    /** False positives are left out of counts and badges: people decided they are not alerts. */
    private static final String NOT_FALSE_POSITIVE = "coalesce(m.mark, '') <> '"
            + AlertMarks.Mark.FALSE_POSITIVE.label() + "'";

    private static final String MARKED = "FROM events e LEFT JOIN alert_marks m ON m.alert_id = e.id "
            + "WHERE e.kind = 'alert'";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Alerts() {
    }

    /** A page of the VM's alerts that {@code query} selects, newest first, with the counts per level. */
    static AlertPage page(Connection c, String vm, AlertQuery query, int offset, int limit) throws SQLException {
        List<Object> values = new ArrayList<>(List.of(vm));
        String selected = selected(query, values);
        Map<AlertEvent.Level, Long> byLevel = new EnumMap<>(AlertEvent.Level.class);
        try (PreparedStatement q = c.prepareStatement("WITH a AS (" + selected + ") "
                + "SELECT level_rank, count(*) FROM a GROUP BY level_rank")) {
            Analysis.bind(q, values);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    byLevel.put(LEVELS[r.getInt(1)], r.getLong(2));
                }
            }
        }
        int minRank = query.minLevel() == null ? 0 : query.minLevel().ordinal();
        long total = byLevel.entrySet().stream().filter(e -> e.getKey().ordinal() >= minRank)
                .mapToLong(Map.Entry::getValue).sum();
        List<Object> paged = new ArrayList<>(values);
        Collections.addAll(paged, minRank, limit, offset);
        List<AlertRow> rows = rows(c, vm, "WITH a AS (" + selected + "), page AS (SELECT * FROM a WHERE level_rank >= ? "
                + "ORDER BY time_ns DESC, id LIMIT ? OFFSET ?)", "page", paged);
        return new AlertPage(new Page<>(rows, total, offset, limit), byLevel);
    }

    /** One alert of the VM, with its mark. */
    static Optional<AlertRow> one(Connection c, String vm, String id) throws SQLException {
        return rows(c, vm, "WITH one AS (SELECT " + columns() + " " + MARKED + " AND e.vm = ? AND e.id = ? LIMIT 1)", "one",
                List.of(vm, id)).stream().findFirst();
    }

    /** Per VM with alerts, how many are not false positives, per level. */
    static Map<String, AlertCount> perVm(Connection c) throws SQLException {
        Map<String, Map<AlertEvent.Level, Long>> counts = new LinkedHashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT e.vm, " + LEVEL_RANK + ", count(*) " + MARKED
                + " AND " + NOT_FALSE_POSITIVE + " GROUP BY ALL ORDER BY 1")) {
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    counts.computeIfAbsent(r.getString(1), vm -> new EnumMap<>(AlertEvent.Level.class))
                            .put(LEVELS[r.getInt(2)], r.getLong(3));
                }
            }
        }
        Map<String, AlertCount> perVm = new LinkedHashMap<>();
        counts.forEach((vm, byLevel) -> perVm.put(vm, new AlertCount(byLevel)));
        return perVm;
    }

    /**
     * Per process of the VM (as of the last refresh) that alerts are about, how many are not false positives, per
     * level; alerts about no known process are left out.
     */
    static Map<ProcessKey, AlertCount> perProcess(Connection c, String vm) throws SQLException {
        Map<ProcessKey, Map<AlertEvent.Level, Long>> counts = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement("WITH a AS (SELECT e.vm, e.pid, e.time_ns, " + LEVEL_RANK
                + " AS level_rank " + MARKED + " AND e.vm = ? AND " + NOT_FALSE_POSITIVE + ") "
                + "SELECT p.pid, p.start_ns, a.level_rank, count(*) FROM a ASOF JOIN processes p ON p.vm = a.vm "
                + "AND p.pid = a.pid AND a.time_ns >= p.start_ns WHERE p.end_ns IS NULL OR a.time_ns <= p.end_ns "
                + "GROUP BY ALL")) {
            Analysis.bind(q, List.of(vm));
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    counts.computeIfAbsent(new ProcessKey(vm, r.getInt(1), r.getLong(2)),
                            k -> new EnumMap<>(AlertEvent.Level.class)).put(LEVELS[r.getInt(3)], r.getLong(4));
                }
            }
        }
        Map<ProcessKey, AlertCount> perProcess = new HashMap<>();
        counts.forEach((key, byLevel) -> perProcess.put(key, new AlertCount(byLevel)));
        return perProcess;
    }

    private static String columns() {
        return "e.vm, e.id, e.time_ns, e.pid, e.process, e.name, CAST(e.fields AS VARCHAR) AS fields, " + LEVEL_RANK
                + " AS level_rank, m.mark, m.time_ns AS mark_ns, m.note";
    }

    /** The alerts {@code query} selects, all levels: its criteria appended to {@code values}. */
    private static String selected(AlertQuery query, List<Object> values) {
        StringBuilder where = new StringBuilder("SELECT " + columns() + " " + MARKED + " AND e.vm = ?");
        if (query.fromNanos() != null) {
            where.append(" AND e.time_ns >= ?");
            values.add(query.fromNanos());
        }
        if (query.toNanos() != null) {
            where.append(" AND e.time_ns <= ?");
            values.add(query.toNanos());
        }
        if (query.pid() != null) {
            where.append(" AND e.pid = ?");
            values.add(query.pid());
        }
        Analysis.in(where, values, "e.name", query.rules());
        Analysis.in(where, values, "coalesce(m.mark, '" + AlertQuery.UNMARKED + "')", query.marks());
        if (query.text() != null) {
            where.append(" AND contains(lower(concat_ws(' ', e.process, e.name, e.fields->>'$.title', "
                    + "e.fields->>'$.explanation', e.fields->>'$.follow_up')), ?)");
            values.add(query.textLowerCase());
        }
        return where.toString();
    }

    /** The rows of CTE {@code table} (made by {@code with}), each with the process that held its pid at its time. */
    private static List<AlertRow> rows(Connection c, String vm, String with, String table, List<Object> values)
            throws SQLException {
        List<AlertRow> rows = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(with + " SELECT e.id, e.time_ns, e.pid, e.process, e.name, "
                + "e.fields, e.level_rank, e.mark, e.mark_ns, e.note, "
                + "CASE WHEN p.end_ns IS NULL OR e.time_ns <= p.end_ns THEN p.start_ns END, "
                + "CASE WHEN p.end_ns IS NULL OR e.time_ns <= p.end_ns THEN p.name END "
                + "FROM " + table + " e ASOF LEFT JOIN processes p ON p.vm = e.vm AND p.pid = e.pid "
                + "AND e.time_ns >= p.start_ns ORDER BY e.time_ns DESC, e.id")) {
            Analysis.bind(q, values);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    rows.add(row(r, vm));
                }
            }
        }
        return rows;
    }

    private static AlertRow row(ResultSet r, String vm) throws SQLException {
        String id = r.getString(1);
        int pid = r.getInt(3);
        String recorded = r.getString(4);
        JsonNode fields = fields(r.getString(6));
        String markLabel = r.getString(8);
        AlertMarks.Marked mark = markLabel == null ? null
                : new AlertMarks.Marked(id, AlertMarks.Mark.of(markLabel), r.getLong(9), r.getString(10));
        Long start = r.getObject(11, Long.class);
        String shown = recorded == null || recorded.isEmpty() ? ProcessNames.shown(r.getString(12))
                : ProcessNames.shown(recorded);
        return new AlertRow(id, r.getLong(2), pid, shown, start == null ? null : new ProcessKey(vm, pid, start),
                r.getString(5), fields.path("title").asText(""), LEVELS[r.getInt(7)], strings(fields.path("techniques")),
                strings(fields.path("evidence")), fields.path("explanation").asText(""),
                fields.path("follow_up").asText(""), mark);
    }

    /** The stored fields; text that does not parse (it always should) reads as no fields. */
    private static JsonNode fields(String json) {
        try {
            return JSON.readTree(json == null ? "{}" : json);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
