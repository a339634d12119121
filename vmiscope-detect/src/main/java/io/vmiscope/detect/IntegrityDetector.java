package io.vmiscope.detect;

import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.Event;
import io.vmiscope.events.IntegrityFindingEvent;
import io.vmiscope.events.OneLine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns each cross-view integrity finding into an alert: rule {@code vmiscope.integrity.<check>}, the finding's
 * techniques, the finding event as evidence (its views table is there). A finding the checks repeat every period
 * raises one alert, then again only once {@link #REPEAT_NANOS} of event time have passed since the last one for
 * the same VM, check and subject. State is bounded: at most {@link #MAX_REMEMBERED} findings remembered, least
 * recently seen forgotten. Not thread-safe: one caller feeds it, in time order.
 */
public final class IntegrityDetector implements Detector {

    /** The alerts' action. */
    public static final String ACTION = "integrity";
    /** Rule ids are this prefix and the check's id. */
    public static final String RULE_PREFIX = "vmiscope.integrity.";
    static final long REPEAT_NANOS = 10L * 60 * 1_000_000_000L;
    static final int MAX_REMEMBERED = 4096;
    private static final int MAX_EXPLANATION_CHARS = 240;

    private final Map<String, Long> lastAlertNanos = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    @Override
    public List<AlertEvent> accept(String eventId, Event event) {
        if (!(event instanceof IntegrityFindingEvent f)) {
            return List.of();
        }
        String key = f.vm() + '\0' + f.check() + '\0' + f.subject();
        Long last = lastAlertNanos.get(key);
        if (last != null && f.timeNanos() - last < REPEAT_NANOS) {
            return List.of();
        }
        lastAlertNanos.put(key, f.timeNanos());
        return List.of(new AlertEvent(f.timeNanos(), f.vm(), ACTION, f.process(), RULE_PREFIX + f.check(),
                title(f.check()), level(f.check()), f.techniques(), List.of(eventId),
                OneLine.of(f.subject() + ": " + f.explanation(), MAX_EXPLANATION_CHARS), ""));
    }

    /** What the alert is called, for people. */
    static String title(String check) {
        return switch (check) {
            case "hidden-processes" -> "Process hidden from the task list";
            case "hidden-modules" -> "Kernel module hidden";
            case "credentials" -> "Credentials raised to root without setuid";
            case "syscall-table" -> "System call table hooked";
            default -> "Kernel integrity check failed: " + OneLine.of(check, 40);
        };
    }

    /** Hiding kernel state takes kernel code execution: critical. A raised credential alone: high. */
    static AlertEvent.Level level(String check) {
        return check.equals("credentials") ? AlertEvent.Level.HIGH : AlertEvent.Level.CRITICAL;
    }
}
