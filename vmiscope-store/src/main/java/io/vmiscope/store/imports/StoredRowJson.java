package io.vmiscope.store.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * A row of the store's {@code events} table as JSON — its columns by name, the kind's fields as an object under
 * {@code fields} (what {@code vmiscope export --format jsonl} writes) — turned into the event line of
 * docs/events.md that {@link io.vmiscope.events.EventJson#fromTree} reads. Used where stored rows become events
 * again: importing an export, and the store's readers. Stateless.
 */
public final class StoredRowJson {

    /** The columns that are the event line's header keys of the same name. */
    private static final List<String> HEADER = List.of("vm", "action", "kind", "pid", "tid", "ppid", "uid", "process");

    private StoredRowJson() {
    }

    /** Whether {@code record} is such a row: it has {@code time_ns} and a {@code fields} object, not {@code time}. */
    static boolean isRow(ObjectNode record) {
        JsonNode fields = record.get("fields");
        return !record.has("time") && record.has("time_ns") && fields != null && fields.isObject();
    }

    /** The event line of a row ({@link #isRow}): the fields, then {@code time} and the header columns. */
    public static ObjectNode eventLine(ObjectNode row) {
        ObjectNode event = row.objectNode();
        for (Map.Entry<String, JsonNode> field : row.get("fields").properties()) {
            event.set(field.getKey(), field.getValue());
        }
        event.set("time", row.get("time_ns"));
        for (String key : HEADER) {
            if (row.has(key)) {
                event.set(key, row.get(key));
            }
        }
        return event;
    }
}
