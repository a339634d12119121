package io.vmiscope.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A detection: a rule fired, or a process behaved unlike its normal self. It flows through the same sinks
 * as what it was raised on (printed, stored, streamed), and names its evidence by event id.
 *
 * @param process     the process it is about ({@link ProcessRef#NONE} for the VM as a whole)
 * @param ruleId      what raised it: a Sigma rule's own {@code id}, or the anomaly model's name
 * @param title       the rule's title, for people
 * @param level       how serious
 * @param techniques  ATT&amp;CK technique ids, e.g. {@code T1059.004}
 * @param evidence    the ids of the events it was raised on, oldest first
 * @param explanation one line saying why
 * @param followUp    what introspection it asked for and what became of it, one line; empty for none
 */
public record AlertEvent(long timeNanos, String vm, String action, ProcessRef process, String ruleId, String title,
                         Level level, List<String> techniques, List<String> evidence, String explanation,
                         String followUp) implements Event {

    /** Sigma's levels, least serious first. */
    public enum Level {
        INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL;

        /** The level a Sigma rule or a JSON line names, e.g. {@code "high"}. */
        public static Level of(String name) {
            for (Level l : values()) {
                if (l.label().equals(name)) {
                    return l;
                }
            }
            throw new IllegalArgumentException("unknown alert level '" + OneLine.of(String.valueOf(name), 40)
                    + "'; known: informational, low, medium, high, critical");
        }

        /** The lower-case name Sigma uses. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public AlertEvent {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(level, "level");
        title = title == null ? "" : title;
        techniques = List.copyOf(techniques);
        evidence = List.copyOf(evidence);
        explanation = explanation == null ? "" : explanation;
        followUp = followUp == null ? "" : followUp;
    }

    /** The same alert with its follow-up described. */
    public AlertEvent withFollowUp(String description) {
        return new AlertEvent(timeNanos, vm, action, process, ruleId, title, level, techniques, evidence, explanation,
                description);
    }

    @Override
    public String kind() {
        return "alert";
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("rule_id", ruleId);
        f.put("title", title);
        f.put("level", level.label());
        f.put("techniques", techniques);
        f.put("evidence", evidence);
        f.put("explanation", explanation);
        f.put("follow_up", followUp);
        return f;
    }
}
