package io.vmiscope.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmiscope.events.Event;
import io.vmiscope.events.EventJson;
import io.vmiscope.store.imports.StoredRowJson;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Stored events read back as {@link Event}s, in time order (ties by id), page by page: each page is the next
 * {@link #PAGE} rows after the last one handed over (keyset pagination on {@code (time_ns, id)}), so the Java heap
 * holds one page at most whatever the window, and the time bound lets DuckDB skip the row groups before the cursor
 * by their min-max statistics. Stateless; see {@link EventReader#forEach}.
 */
final class StoredEvents {

    /** Rows read per query. */
    static final int PAGE = 4096;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, time_ns, vm, action, kind, pid, tid, ppid, uid, process, "
            + "CAST(fields AS VARCHAR)";

    private StoredEvents() {
    }

    /** Hands every event of {@code filter} to {@code handler}; see {@link EventReader#forEach}. */
    static long forEach(Connection connection, EventFilter filter, BiConsumer<String, Event> handler)
            throws SQLException {
        String where = filter.whereClause();
        String first = "SELECT " + COLUMNS + " FROM events" + where + " ORDER BY time_ns, id LIMIT " + PAGE;
        String next = "SELECT " + COLUMNS + " FROM events" + (where.isEmpty() ? " WHERE " : where + " AND ")
                + "time_ns >= ? AND (time_ns > ? OR id > ?) ORDER BY time_ns, id LIMIT " + PAGE;
        long handed = 0;
        Long cursorTime = null;
        String cursorId = null;
        try (PreparedStatement firstPage = connection.prepareStatement(first);
             PreparedStatement nextPage = connection.prepareStatement(next)) {
            while (true) {
                PreparedStatement q = cursorTime == null ? firstPage : nextPage;
                List<Object> values = new ArrayList<>(filter.parameters());
                if (cursorTime != null) {
                    values.addAll(List.of(cursorTime, cursorTime, cursorId));
                }
                for (int i = 0; i < values.size(); i++) {
                    q.setObject(i + 1, values.get(i));
                }
                int rows = 0;
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        rows++;
                        cursorId = r.getString(1);
                        cursorTime = r.getLong(2);
                        handler.accept(cursorId, event(r));
                    }
                }
                handed += rows;
                if (rows < PAGE) {
                    return handed;
                }
            }
        }
    }

    /** The row under {@code r}'s cursor as the event it was stored from. */
    private static Event event(ResultSet r) throws SQLException {
        String id = r.getString(1);
        ObjectNode row = JSON.createObjectNode();
        row.put("time_ns", r.getLong(2));
        row.put("vm", r.getString(3));
        row.put("action", r.getString(4));
        row.put("kind", r.getString(5));
        row.put("pid", r.getInt(6));
        row.put("tid", r.getInt(7));
        row.put("ppid", r.getInt(8));
        row.put("uid", r.getLong(9));
        row.put("process", r.getString(10));
        try {
            JsonNode fields = JSON.readTree(r.getString(11));
            row.set("fields", fields);
            return EventJson.fromTree(StoredRowJson.eventLine(row));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new StoreException("stored event " + id + " cannot be read back: "
                    + DuckDbEventStore.firstLine(e.getMessage()), e);
        }
    }
}
