package io.vmiscope.analysis;

import io.vmiscope.events.AlertEvent;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;

/**
 * How many alerts of a VM or a process are open or acknowledged (false positives left out), per level.
 *
 * @param byLevel alerts per level; levels without alerts are left out
 */
public record AlertCount(Map<AlertEvent.Level, Long> byLevel) {

    public AlertCount {
        byLevel = byLevel.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(byLevel));
    }

    /** How many in all. */
    public long alerts() {
        return byLevel.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The most serious level among them, or {@code null} when there are none. */
    public AlertEvent.Level highest() {
        return byLevel.keySet().stream().max(Comparator.naturalOrder()).orElse(null);
    }
}
