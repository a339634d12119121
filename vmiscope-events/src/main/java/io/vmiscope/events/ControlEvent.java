package io.vmiscope.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A decision about introspection itself: an action started, stopped, changed or failed, and why.
 *
 * @param change what happened: {@code "started"}, {@code "stopped"}, {@code "reconfigured"}, {@code "failed"},
 *               {@code "session-ended"}
 * @param reason one line saying why
 */
public record ControlEvent(long timeNanos, String vm, String action, ProcessRef process, String change, String reason)
        implements Event {

    @Override
    public String kind() {
        return "control";
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("change", change);
        f.put("reason", reason);
        return f;
    }
}
