package io.vmiscope.detect.sigma;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loaded rules, compiled once: the detection rules indexed by the logsource they read (an event is only offered
 * to the rules of its own logsource), the correlations each rule feeds, and what could not be loaded — never
 * dropped silently. Immutable and thread-safe; detectors share it.
 */
public final class RuleSet {

    /** A rule that loaded but uses something vmiscope cannot evaluate. */
    public record Unsupported(String source, String id, String title, String reason) {
    }

    private final List<SigmaRule> rules;
    private final List<CorrelationRule> correlations;
    private final List<Unsupported> unsupported;
    private final List<String> malformed;
    private final Map<Logsource, int[]> byLogsource = new HashMap<>();
    private final List<List<CorrelationRule>> feeds = new ArrayList<>();
    private final List<List<Integer>> feedPositions = new ArrayList<>();

    RuleSet(List<SigmaRule> rules, List<CorrelationRule> correlations, List<Unsupported> unsupported,
            List<String> malformed) {
        this.rules = List.copyOf(rules);
        this.correlations = List.copyOf(correlations);
        this.unsupported = List.copyOf(unsupported);
        this.malformed = List.copyOf(malformed);
        Map<Logsource, List<Integer>> index = new HashMap<>();
        for (int i = 0; i < this.rules.size(); i++) {
            SigmaRule r = this.rules.get(i);
            for (Logsource l : r.logsources()) {
                index.computeIfAbsent(l, k -> new ArrayList<>()).add(i);
            }
            List<CorrelationRule> fed = new ArrayList<>();
            List<Integer> positions = new ArrayList<>();
            for (CorrelationRule c : this.correlations) {
                for (int b = 0; b < c.bases().size(); b++) {
                    if (c.bases().get(b).id().equals(r.id())) {
                        fed.add(c);
                        positions.add(b);
                    }
                }
            }
            feeds.add(List.copyOf(fed));
            feedPositions.add(List.copyOf(positions));
        }
        index.forEach((l, list) -> byLogsource.put(l, list.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** The detection rules, in load order. */
    public List<SigmaRule> rules() {
        return rules;
    }

    public List<CorrelationRule> correlations() {
        return correlations;
    }

    /** Rules that loaded but cannot be evaluated, with the reason. */
    public List<Unsupported> unsupported() {
        return unsupported;
    }

    /** Files (or documents) that are not valid rules, each as one {@code file:line: reason}. */
    public List<String> malformed() {
        return malformed;
    }

    /** How many rules (detection and correlation) will be evaluated. */
    public int loaded() {
        return rules.size() + correlations.size();
    }

    private static final int[] NONE = new int[0];

    /** The indexes (into {@link #rules()}) of the rules that read {@code source}. */
    int[] rulesFor(Logsource source) {
        return byLogsource.getOrDefault(source, NONE);
    }

    /** The correlations rule {@code index} feeds. */
    List<CorrelationRule> feeds(int index) {
        return feeds.get(index);
    }

    /** For each of {@link #feeds(int)}, the rule's position among that correlation's bases. */
    List<Integer> feedPositions(int index) {
        return feedPositions.get(index);
    }
}
