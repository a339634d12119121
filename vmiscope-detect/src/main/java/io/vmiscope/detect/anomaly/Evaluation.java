package io.vmiscope.detect.anomaly;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What an evaluation measured: every scored trace, and the figures derived from them.
 *
 * @param traces         every scored trace, normal ones first, each in reading order
 * @param crossValidated the false alarms the trainer's threshold gave on normal traces it never saw, per fold;
 *                       empty unless the normal traces were scored by cross-validation
 */
public record Evaluation(List<ScoredTrace> traces, List<FoldFalseAlarms> crossValidated) {

    public Evaluation {
        traces = List.copyOf(traces);
        crossValidated = List.copyOf(crossValidated);
    }

    /**
     * One scored trace.
     *
     * @param family the attack family (empty for normal traces)
     */
    public record ScoredTrace(String path, boolean attack, String family, double score) {
    }

    /**
     * One fold of a cross-validation: the threshold chosen for {@code farTarget} on the other folds, and the
     * share of this fold's {@code traces} normal traces above it.
     */
    public record FoldFalseAlarms(double farTarget, double threshold, int traces, double observedFar) {
    }

    public long normalCount() {
        return traces.stream().filter(t -> !t.attack()).count();
    }

    public long attackCount() {
        return traces.stream().filter(ScoredTrace::attack).count();
    }

    /** The ROC of all normal against all attack traces; empty when either is missing. */
    public Optional<Roc> roc() {
        return roc(null);
    }

    /** Each attack family's AUC against all normal traces, by family name; empty without normal traces. */
    public Map<String, Double> familyAucs() {
        Map<String, Double> aucs = new TreeMap<>();
        traces.stream().filter(ScoredTrace::attack).map(ScoredTrace::family).distinct()
                .forEach(family -> roc(family).ifPresent(r -> aucs.put(family, r.auc())));
        return aucs;
    }

    /** The mean false-alarm rate observed over the folds, or NaN without cross-validation. */
    public double crossValidatedFar() {
        return crossValidated.stream().mapToDouble(FoldFalseAlarms::observedFar).average().orElse(Double.NaN);
    }

    private Optional<Roc> roc(String family) {
        double[] normal = traces.stream().filter(t -> !t.attack()).mapToDouble(ScoredTrace::score).toArray();
        double[] attack = traces.stream().filter(t -> t.attack() && (family == null || family.equals(t.family())))
                .mapToDouble(ScoredTrace::score).toArray();
        return normal.length == 0 || attack.length == 0 ? Optional.empty() : Optional.of(new Roc(normal, attack));
    }
}
