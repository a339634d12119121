package io.vmiscope.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Guest memory that a well-formed kernel would not show (a broken list, a wild pointer, a hooked
 * syscall table entry): a detection signal in its own right.
 *
 * @param anomaly what kind, e.g. {@code "CYCLE"}, {@code "WILD_POINTER"}, {@code "SYSCALL_HOOK"}
 * @param where   the object where it was seen
 * @param detail  one line for the analyst
 */
public record AnomalyEvent(long timeNanos, String vm, String action, ProcessRef process, String anomaly, String where,
                           String detail) implements Event {

    @Override
    public String kind() {
        return "anomaly";
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("anomaly", anomaly);
        f.put("where", where);
        f.put("detail", detail);
        return f;
    }
}
