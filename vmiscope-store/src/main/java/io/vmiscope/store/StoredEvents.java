package io.vmiscope.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmiscope.events.Event;
import io.vmiscope.events.EventJson;
import io.vmiscope.events.OneLine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Reads stored events back as {@link Event}s with their ids, oldest first (by time, then id), page by page — so
 * a batch over millions of events holds one page in memory. The {@code fields} column and the header columns
 * give the event back as {@link EventJson} reads it. Runs beside ingestion, on a connection of its own.
 */
public final class StoredEvents {

    /** Sees each event with the id it is stored under. */
    @FunctionalInterface
    public interface Visitor {
        void visit(String id, Event event);
    }

    private static final int PAGE_ROWS = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DuckDbEventStore store;
    private final int pageRows;

    public StoredEvents(DuckDbEventStore store) {
        this(store, PAGE_ROWS);
    }

    /** A reader with pages of {@code pageRows} rows (tests cross page boundaries with small ones). */
    StoredEvents(DuckDbEventStore store, int pageRows) {
        this.store = store;
        this.pageRows = pageRows;
    }

    /**
     * Visits every stored event that passes {@code filter}, oldest first.
     *
     * @return how many were visited
     * @throws StoreException when the store cannot be read or a stored row is not an event (a damaged file)
     */
    public long forEach(EventFilter filter, Visitor visitor) {
        String where = filter.whereClause();
        String sql = "SELECT id, time_ns, vm, action, kind, pid, tid, ppid, uid, process, fields FROM events"
                + (where.isEmpty() ? " WHERE " : where + " AND ") + "(time_ns > ? OR (time_ns = ? AND id > ?)) ORDER BY time_ns, id LIMIT "
                + pageRows;
        List<Object> parameters = filter.parameters();
        long visited = 0;
        long lastTime = Long.MIN_VALUE;
        String lastId = "";
        try (Connection c = store.openReader(); PreparedStatement q = c.prepareStatement(sql)) {
            while (true) {
                int i = 0;
                for (Object p : parameters) {
                    q.setObject(++i, p);
                }
                q.setLong(++i, lastTime);
                q.setLong(++i, lastTime);
                q.setString(++i, lastId);
                int rows = 0;
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        rows++;
                        lastId = r.getString(1);
                        lastTime = r.getLong(2);
                        visitor.visit(lastId, event(r));
                    }
                }
                visited += rows;
                if (rows < pageRows) {
                    return visited;
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read events from " + store.file() + ": " + OneLine.of(e.getMessage(), 200),
                    e);
        }
    }

    private static Event event(ResultSet r) throws SQLException {
        try {
            JsonNode fields = JSON.readTree(r.getString(11));
            ObjectNode n = fields.isObject() ? (ObjectNode) fields : JSON.createObjectNode();
            n.put("time", r.getLong(2));
            n.put("vm", r.getString(3));
            n.put("action", r.getString(4));
            n.put("kind", r.getString(5));
            n.put("pid", r.getInt(6));
            n.put("tid", r.getInt(7));
            n.put("ppid", r.getInt(8));
            n.put("uid", r.getLong(9));
            n.put("process", r.getString(10));
            return EventJson.fromTree(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new StoreException("stored event " + r.getString(1) + " is not readable: "
                    + OneLine.of(e.getMessage(), 200), e);
        }
    }
}
