package io.vmiscope.detect.sigma;

import io.vmiscope.detect.FollowUpRequest;
import io.vmiscope.events.AlertEvent;

import java.util.List;

/**
 * A compiled Sigma correlation rule (sigma-specification, "Sigma Correlation Rules"): several matches of its base
 * rules, of one group (the same values of its {@code group-by} fields) within {@code timespan}, raise one alert.
 * Conditions are decided as events arrive, so only the lower bounds ({@code gt}, {@code gte}, {@code eq}) are
 * supported. Immutable and thread-safe.
 *
 * @param bases        the base rules, in the rule's order (for {@code temporal_ordered}, the order required)
 * @param groupFields  per base rule, the fields that form its group key ({@code aliases} applied)
 * @param valueFields  per base rule, the field counted by {@code value_count}, else empty
 * @param threshold    the condition's bound (count of events or of distinct values); unused for temporal types
 * @param operator     {@code gt}, {@code gte} or {@code eq}
 */
public record CorrelationRule(String id, String title, AlertEvent.Level level, List<String> techniques, Type type,
                              List<SigmaRule> bases, List<List<SigmaField>> groupFields, List<SigmaField> valueFields,
                              long timespanNanos, String operator, long threshold, List<FollowUpRequest> followUps,
                              String source) {

    /** The correlation types vmiscope evaluates. */
    public enum Type { EVENT_COUNT, VALUE_COUNT, TEMPORAL, TEMPORAL_ORDERED }

    public CorrelationRule {
        techniques = List.copyOf(techniques);
        bases = List.copyOf(bases);
        groupFields = List.copyOf(groupFields);
        valueFields = valueFields == null ? List.of() : valueFields;
        followUps = List.copyOf(followUps);
    }

    /** Whether {@code count} satisfies the condition. */
    boolean reached(long count) {
        return switch (operator) {
            case "gt" -> count > threshold;
            case "eq" -> count == threshold;
            default -> count >= threshold;
        };
    }
}
