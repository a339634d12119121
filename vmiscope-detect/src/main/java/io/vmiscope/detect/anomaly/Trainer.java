package io.vmiscope.detect.anomaly;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds an {@link AnomalyModel} from normal traces and chooses its threshold on normal traces it did not
 * train on, in three passes over the source: (1) every trace but each {@code holdOutEvery}-th trains the
 * program models; (2) the held-out traces are scored (those of programs that ran in no other trace cannot be),
 * and the threshold is the lowest score that at most {@code far} of them exceed; (3) the held-out traces are trained too, so no normal data is wasted. Memory:
 * the models plus one score per held-out trace.
 *
 * @param settings     how the model scores
 * @param maxSequences the most distinct sequences one program model keeps
 * @param far          the false-alarm rate the threshold aims at, 0 to 1
 * @param holdOutEvery every how many traces one is held out (0: none, and no threshold)
 */
public record Trainer(AnomalyModel.Settings settings, int maxSequences, double far, int holdOutEvery) {

    /** The bound on a program model's sequences unless told otherwise. */
    public static final int DEFAULT_MAX_SEQUENCES = 2_000_000;

    public Trainer {
        if (!(far >= 0 && far < 1)) {
            throw new IllegalArgumentException("the false-alarm rate must be 0% to 100%, got " + far * 100 + "%");
        }
        if (holdOutEvery < 0 || holdOutEvery == 1) {
            throw new IllegalArgumentException("hold out one trace in 2 or more, or none (0); got " + holdOutEvery);
        }
    }

    /**
     * Trains on every trace of {@code source}.
     *
     * @param progress told of each trace read, in each pass
     * @throws IllegalArgumentException when there are no traces, or none to hold out although asked to
     */
    public AnomalyModel train(String name, TraceSource source, Consumer<Trace> progress) {
        Map<String, ProgramModel> programs = new HashMap<>();
        int[] index = {0};
        source.forEach(trace -> {
            progress.accept(trace);
            if (!heldOut(index[0]++)) {
                programs.computeIfAbsent(trace.program(), p -> new ProgramModel(settings.window(), maxSequences))
                        .train(trace.syscalls());
            }
        });
        if (index[0] == 0) {
            throw new IllegalArgumentException("no traces to train on");
        }
        if (holdOutEvery == 0) {
            return new AnomalyModel(name, settings, AnomalyModel.Threshold.NONE, programs);
        }
        AnomalyModel partial = new AnomalyModel(name, settings, AnomalyModel.Threshold.NONE, programs);
        List<Double> scores = new ArrayList<>();
        index[0] = 0;
        source.forEach(trace -> {
            progress.accept(trace);
            // a held-out run of a program no other run trained has nothing to be scored against (the detector
            // reports such a program as never seen, not by its score): it does not set the threshold
            if (heldOut(index[0]++) && partial.covers(trace.program())) {
                scores.add(partial.score(trace.program(), trace.syscalls()));
            }
        });
        if (scores.isEmpty()) {
            throw new IllegalArgumentException("too few traces (" + index[0] + ") to hold out normal data for the "
                    + "threshold: need at least " + holdOutEvery + ", of programs that also ran in the others");
        }
        index[0] = 0;
        source.forEach(trace -> {
            progress.accept(trace);
            if (heldOut(index[0]++)) {
                programs.computeIfAbsent(trace.program(), p -> new ProgramModel(settings.window(), maxSequences))
                        .train(trace.syscalls());
            }
        });
        return new AnomalyModel(name, settings, new AnomalyModel.Threshold(threshold(scores, far), far, scores.size()),
                programs);
    }

    /** The lowest of the scores that at most a share {@code far} of them exceed. */
    static double threshold(List<Double> scores, double far) {
        double[] sorted = scores.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int allowedAbove = (int) Math.floor(far * sorted.length + 1e-9);
        return sorted[sorted.length - 1 - allowedAbove];
    }

    private boolean heldOut(int index) {
        return holdOutEvery > 0 && index % holdOutEvery == holdOutEvery - 1;
    }
}
