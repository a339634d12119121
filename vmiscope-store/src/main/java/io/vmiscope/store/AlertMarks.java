package io.vmiscope.store;

import io.vmiscope.events.OneLine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * What people decided about an alert — acknowledged, or a false positive — kept in the {@code alert_marks}
 * table by the alert's content-derived id (docs/store.md), so the mark survives a re-run of detection. One mark
 * per alert: setting a new one replaces the old. Thread-safe; each call uses a connection of its own.
 */
public final class AlertMarks {

    /** The marks an alert can carry. */
    public enum Mark {
        ACKNOWLEDGED, FALSE_POSITIVE;

        /** The stored and JSON name, e.g. {@code false_positive}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The mark a name gives; a one-line error for any other name. */
        public static Mark of(String label) {
            for (Mark m : values()) {
                if (m.label().equals(label)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown alert mark '" + OneLine.of(label, 40)
                    + "'; known: acknowledged, false_positive");
        }
    }

    /** An alert's current mark, its time (nanoseconds since the Unix epoch) and the note given with it. */
    public record Marked(String alertId, Mark mark, long timeNanos, String note) {
    }

    /** Notes longer than this are cut: a note is a line of text, not a document. */
    public static final int MAX_NOTE_CHARS = 1_000;

    private final StoreConnections store;
    private final Clock clock;

    public AlertMarks(StoreConnections store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Sets (or replaces) the mark of {@code alertId}. The alert need not be stored yet. */
    public Marked set(String alertId, Mark mark, String note) {
        String text = note == null ? "" : note.length() > MAX_NOTE_CHARS ? note.substring(0, MAX_NOTE_CHARS) : note;
        long now = clock.millis() * 1_000_000L;
        try (Connection c = store.openConnection(); PreparedStatement upsert = c.prepareStatement(
                "INSERT OR REPLACE INTO alert_marks (alert_id, mark, time_ns, note) VALUES (?, ?, ?, ?)")) {
            upsert.setString(1, alertId);
            upsert.setString(2, mark.label());
            upsert.setLong(3, now);
            upsert.setString(4, text);
            upsert.executeUpdate();
            return new Marked(alertId, mark, now, text);
        } catch (SQLException e) {
            throw new StoreException("cannot mark alert " + OneLine.of(alertId, 64) + ": "
                    + OneLine.of(e.getMessage(), 200), e);
        }
    }

    /** Removes the mark of {@code alertId}: it is open again. Whether it had one. */
    public boolean clear(String alertId) {
        try (Connection c = store.openConnection();
             PreparedStatement delete = c.prepareStatement("DELETE FROM alert_marks WHERE alert_id = ?")) {
            delete.setString(1, alertId);
            return delete.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new StoreException("cannot clear the mark of alert " + OneLine.of(alertId, 64) + ": "
                    + OneLine.of(e.getMessage(), 200), e);
        }
    }

    /** The current mark of {@code alertId}, if any. */
    public Optional<Marked> of(String alertId) {
        try (Connection c = store.openConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT mark, time_ns, note FROM alert_marks WHERE alert_id = ?")) {
            q.setString(1, alertId);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? Optional.of(new Marked(alertId, Mark.of(r.getString(1)), r.getLong(2),
                        r.getString(3))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the mark of alert " + OneLine.of(alertId, 64) + ": "
                    + OneLine.of(e.getMessage(), 200), e);
        }
    }
}
