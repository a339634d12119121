package io.vmiscope.cli.bench;

import io.vmiscope.detect.anomaly.AnomalyModel;
import io.vmiscope.detect.anomaly.Method;
import io.vmiscope.detect.anomaly.ModelFile;
import io.vmiscope.detect.anomaly.ProgramModel;
import io.vmiscope.detect.anomaly.Trace;
import io.vmiscope.detect.anomaly.TraceSource;
import io.vmiscope.detect.anomaly.TraceScorer;
import io.vmiscope.detect.anomaly.Trainer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The anomaly scorer's throughput on one core: a model of each method trained on the given normal traces, then
 * every trace scored call by call on this thread, {@code runs} times; prints syscalls per second (median and
 * range of the runs) against the goal, and the model's size in memory terms and on disk. For {@code bench
 * anomaly} and for {@code bench detect} to call.
 */
public final class AnomalyBenchmark {

    /** The goal, syscalls scored per second on one core. */
    public static final double GOAL_CALLS_PER_SECOND = 1_000_000;

    private final List<Trace> traces;
    private final int window;
    private final int frame;
    private final int runs;

    /**
     * @param traces normal traces: trained on, then scored
     * @param runs   timed passes over all traces per method (after one untimed warm-up pass)
     */
    public AnomalyBenchmark(List<Trace> traces, int window, int frame, int runs) {
        if (traces.isEmpty() || runs < 1) {
            throw new IllegalArgumentException("the benchmark needs traces and at least one run");
        }
        this.traces = List.copyOf(traces);
        this.window = window;
        this.frame = frame;
        this.runs = runs;
    }

    /** Runs it for every method and prints one block per method; true when every method meets the goal. */
    public boolean run(PrintWriter out) throws IOException {
        long calls = traces.stream().mapToLong(t -> t.syscalls().length).sum();
        out.printf(Locale.ROOT, "anomaly scorer: %d traces, %d syscalls, window %d, frame %d, %d runs on one thread%n",
                traces.size(), calls, window, frame, runs);
        boolean allMet = true;
        for (Method method : Method.values()) {
            Trainer trainer = new Trainer(new AnomalyModel.Settings(method, window, frame),
                    Trainer.DEFAULT_MAX_SEQUENCES, 0, 0);
            TraceSource source = each -> traces.forEach(each);
            AnomalyModel model = trainer.train("bench", source, t -> { });
            double[] rates = new double[runs];
            double sink = pass(model);
            for (int r = 0; r < runs; r++) {
                long start = System.nanoTime();
                sink += pass(model);
                rates[r] = calls / ((System.nanoTime() - start) / 1e9);
            }
            Arrays.sort(rates);
            double median = rates[runs / 2];
            boolean met = median >= GOAL_CALLS_PER_SECOND;
            allMet &= met;
            out.printf(Locale.ROOT, "  %-6s %,12.0f syscalls/s (runs %,.0f .. %,.0f) goal %,.0f: %s%n", method.label(),
                    median, rates[0], rates[runs - 1], GOAL_CALLS_PER_SECOND, met ? "met" : "NOT met");
            out.printf(Locale.ROOT, "         model: %s, file %,d bytes (checksum %.1f)%n", sizes(model),
                    fileBytes(model), sink);
        }
        out.flush();
        return allMet;
    }

    private double pass(AnomalyModel model) {
        double total = 0;
        for (Trace trace : traces) {
            TraceScorer scorer = model.start(trace.program());
            for (int call : trace.syscalls()) {
                scorer.add(call);
            }
            total += scorer.score();
        }
        return total;
    }

    private static String sizes(AnomalyModel model) {
        List<String> parts = new ArrayList<>();
        for (ProgramModel p : model.programs().values()) {
            parts.add(p.sequences() + " sequences of " + p.symbols() + " syscalls");
        }
        return model.programs().size() + " program(s), " + String.join("; ", parts);
    }

    private static long fileBytes(AnomalyModel model) throws IOException {
        Path file = Files.createTempFile("vmiscope-bench", ".model");
        try {
            ModelFile.write(model, file);
            return Files.size(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
