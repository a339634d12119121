package io.vmiscope.detect.sigma;

import io.vmiscope.detect.FollowUpRequest;
import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.AlertEvent;

import java.util.List;
import java.util.Set;

/**
 * A compiled Sigma detection rule: what it is (id, title, level, ATT&amp;CK techniques, follow-ups), where it
 * looks (its logsources) and its condition as one {@link EventMatcher}. Immutable and thread-safe.
 *
 * @param id         the rule's {@code id} (its {@code title} when it has none), reported as the alert's rule id
 * @param name       the rule's {@code name} for correlations, or {@code null}
 * @param fields     the fields its detection reads, in a stable order — what an alert's explanation shows
 * @param inputs     the actions whose events fill its logsources: what must run live for it to fire
 * @param generates  false when the rule only feeds a correlation ({@code generate: false}) or was switched off
 * @param source     {@code file:line} of the rule
 */
public record SigmaRule(String id, String name, String title, AlertEvent.Level level, List<String> techniques,
                        Set<Logsource> logsources, EventMatcher matcher, List<SigmaField> fields,
                        List<FollowUpRequest> followUps, List<ActionSpec> inputs, boolean generates, String source) {

    public SigmaRule {
        techniques = List.copyOf(techniques);
        logsources = Set.copyOf(logsources);
        fields = List.copyOf(fields);
        followUps = List.copyOf(followUps);
        inputs = List.copyOf(inputs);
    }

    SigmaRule silenced() {
        return new SigmaRule(id, name, title, level, techniques, logsources, matcher, fields, followUps, inputs, false,
                source);
    }

    /** Whether a correlation may name this rule by {@code reference} (its name or id). */
    boolean answersTo(String reference) {
        return reference.equals(id) || reference.equals(name);
    }
}
