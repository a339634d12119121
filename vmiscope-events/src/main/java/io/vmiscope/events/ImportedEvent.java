package io.vmiscope.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A record from another tool's log that has no typed kind of its own here (a DRAKVUF regmon, apimon,
 * memdump or dkommon record, say). Every field of the original is kept.
 *
 * @param tool       the tool, e.g. {@code "drakvuf"}
 * @param source     the tool's name for the record type, e.g. the DRAKVUF plugin {@code "regmon"}
 * @param method     the tool's method or function name, or empty
 * @param attributes the original record's own fields, in their order (values as parsed: strings, numbers,
 *                   booleans, lists, maps)
 */
public record ImportedEvent(long timeNanos, String vm, String action, ProcessRef process, String tool, String source,
                            String method, Map<String, Object> attributes) implements Event {

    public ImportedEvent {
        attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    @Override
    public String kind() {
        return "imported";
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("tool", tool);
        f.put("source", source);
        f.put("method", method);
        f.put("attributes", attributes);
        return f;
    }
}
