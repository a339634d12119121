package io.vmiscope.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.AnomalyEvent;
import io.vmiscope.events.ControlEvent;
import io.vmiscope.events.Event;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.FileEvent;
import io.vmiscope.events.ImportedEvent;
import io.vmiscope.events.IntegrityFindingEvent;
import io.vmiscope.events.NetworkEvent;
import io.vmiscope.events.SyscallEvent;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How an event fills the derived columns of the {@code events} table (docs/store.md): {@code name}, the kind's main
 * name, {@code fields}, the kind's own fields as JSON, and a live event's {@code source}. The one home of these mappings: the writer stores them,
 * the live stream shows them before they are stored, and the live id ({@link EventIds}) hashes the fields JSON.
 * Stateless and thread-safe.
 */
public final class EventColumns {

    /** The {@code source} of events that came from live introspection. */
    public static final String LIVE_SOURCE = "live";

    /** The key that marks an imported event's time as inferred (docs/events.md). */
    private static final String TIME_INFERRED = "timeInferred";

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventColumns() {
    }

    /** The kind's main name, for the {@code name} column, or {@code null} when the kind has none. */
    public static String name(Event event) {
        if (event instanceof SyscallEvent e) {
            return e.name();
        } else if (event instanceof ExecEvent e) {
            return e.path();
        } else if (event instanceof FileEvent e) {
            return e.operation();
        } else if (event instanceof NetworkEvent e) {
            return e.operation();
        } else if (event instanceof AnomalyEvent e) {
            return e.anomaly();
        } else if (event instanceof ControlEvent e) {
            return e.change();
        } else if (event instanceof ImportedEvent e) {
            return e.source();
        } else if (event instanceof AlertEvent e) {
            return e.ruleId();
        } else if (event instanceof IntegrityFindingEvent e) {
            return e.check();
        }
        return null;
    }

    /** The kind's own fields as JSON, in their stable order: the {@code fields} column of a live event. */
    public static String fieldsJson(Event event) {
        return json(event, event.fields());
    }

    /** The fields with the mark of an imported event whose record had no time of its own. */
    static String fieldsJsonWithTimeInferred(Event event) {
        Map<String, Object> fields = new LinkedHashMap<>(event.fields());
        fields.put(TIME_INFERRED, true);
        return json(event, fields);
    }

    private static String json(Event event, Map<String, Object> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the fields of a " + event.kind() + " event as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }
}
