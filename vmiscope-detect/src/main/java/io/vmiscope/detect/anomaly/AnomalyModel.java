package io.vmiscope.detect.anomaly;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A trained anomaly model: one {@link ProgramModel} per executable, the method that scores with them, and
 * the alert threshold chosen on held-out normal traces. Immutable once built; scoring is thread-safe (each
 * trace has its own {@link TraceScorer}).
 *
 * @see ModelFile for its file format
 */
public final class AnomalyModel {

    /** The program key of a model trained on a data set: it stands for any program without its own model. */
    public static final String ANY_PROGRAM = "*";

    private final String name;
    private final Settings settings;
    private final Threshold threshold;
    private final String syscallAction;
    private final SortedMap<String, ProgramModel> programs;
    private final Map<String, ProgramScorer> scorers = new HashMap<>();

    /**
     * How a model scores.
     *
     * @param method the scoring method
     * @param window the sequence length, 1 to {@link ProgramModel#MAX_WINDOW}
     * @param frame  the frame over which a trace's per-call scores are averaged, in calls; 0 for the whole trace
     */
    public record Settings(Method method, int window, int frame) {
        public Settings {
            Objects.requireNonNull(method, "method");
            if (window < 1 || window > ProgramModel.MAX_WINDOW) {
                throw new IllegalArgumentException("window must be 1 to " + ProgramModel.MAX_WINDOW + ", got " + window);
            }
            if (frame < 0) {
                throw new IllegalArgumentException("frame must be 0 (the whole trace) or more calls, got " + frame);
            }
        }
    }

    /**
     * When a trace is an anomaly: its score above {@code score}. Chosen so that at most {@code farTarget} of
     * {@code heldOutTraces} normal traces not used to build the program models scored above it.
     *
     * @param score         the threshold; {@code +Infinity} when none was chosen (no held-out data)
     * @param farTarget     the false-alarm rate aimed at, 0 to 1
     * @param heldOutTraces how many normal traces it was chosen on
     */
    public record Threshold(double score, double farTarget, int heldOutTraces) {
        public static final Threshold NONE = new Threshold(Double.POSITIVE_INFINITY, 0, 0);
    }

    /** A model whose training action is not known (a data set's). */
    public AnomalyModel(String name, Settings settings, Threshold threshold, Map<String, ProgramModel> programs) {
        this(name, settings, threshold, "", programs);
    }

    /**
     * @param syscallAction the monitoring action whose syscall events it was trained on (e.g.
     *                      {@code syscalls:file,network,process}), or {@code ""} when not known (a data set)
     */
    public AnomalyModel(String name, Settings settings, Threshold threshold, String syscallAction,
                        Map<String, ProgramModel> programs) {
        this.name = Objects.requireNonNull(name, "name");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.threshold = Objects.requireNonNull(threshold, "threshold");
        this.syscallAction = Objects.requireNonNull(syscallAction, "syscallAction");
        this.programs = Collections.unmodifiableSortedMap(new TreeMap<>(programs));
        this.programs.forEach((program, model) -> scorers.put(program, settings.method().compile(model)));
    }

    /** The same model with another threshold. */
    public AnomalyModel withThreshold(Threshold value) {
        return new AnomalyModel(name, settings, value, syscallAction, programs);
    }

    /** The same model, known to be trained on the syscall events of {@code action}. */
    public AnomalyModel withSyscallAction(String action) {
        return new AnomalyModel(name, settings, threshold, action, programs);
    }

    public String name() {
        return name;
    }

    public Settings settings() {
        return settings;
    }

    public Threshold threshold() {
        return threshold;
    }

    /**
     * The monitoring action whose syscall events it was trained on, or {@code ""} when not known. Live scoring
     * needs the same calls: a trace of other syscalls gives windows it never saw.
     */
    public String syscallAction() {
        return syscallAction;
    }

    /** The program models by executable (or {@link #ANY_PROGRAM}). */
    public SortedMap<String, ProgramModel> programs() {
        return programs;
    }

    /** Whether a trace of {@code program} can be scored: it has a model, or {@link #ANY_PROGRAM} has one. */
    public boolean covers(String program) {
        return scorers.containsKey(program) || scorers.containsKey(ANY_PROGRAM);
    }

    /**
     * A scorer for a new trace of {@code program}.
     *
     * @throws IllegalArgumentException when the model does not {@link #covers cover} the program
     */
    public TraceScorer start(String program) {
        ProgramScorer scorer = scorers.getOrDefault(program, scorers.get(ANY_PROGRAM));
        if (scorer == null) {
            throw new IllegalArgumentException("model " + name + " has no model for program " + program);
        }
        return new TraceScorer(scorer.start(), settings.frame());
    }

    /** The score of a whole trace of {@code program}. */
    public double score(String program, int[] syscalls) {
        return start(program).addAll(syscalls);
    }

    /** Whether a trace's score is an anomaly. */
    public boolean isAnomalous(double score) {
        return score > threshold.score();
    }
}
