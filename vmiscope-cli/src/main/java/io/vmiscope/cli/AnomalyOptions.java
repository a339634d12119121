package io.vmiscope.cli;

import io.vmiscope.detect.anomaly.AnomalyModel;
import io.vmiscope.detect.anomaly.Method;
import io.vmiscope.detect.anomaly.Trainer;
import picocli.CommandLine.Option;

/** The options that say how an anomaly model is trained: shared by {@code detect train} and {@code evaluate}. */
final class AnomalyOptions {

    @Option(names = "--method", paramLabel = "M", description = "stide or markov (default: ${DEFAULT-VALUE})")
    String method = "markov";

    @Option(names = "--window", paramLabel = "K", description = "sequence length, 1 to 6 (default: ${DEFAULT-VALUE})")
    int window = 6;

    @Option(names = "--frame", paramLabel = "N",
            description = "calls averaged into a trace's score; 0 = the whole trace (default: ${DEFAULT-VALUE})")
    int frame = 20;

    @Option(names = "--far", paramLabel = "RATE",
            description = "false-alarm rate the threshold aims at on held-out normal traces (default: ${DEFAULT-VALUE})")
    String far = "1%";

    @Option(names = "--hold-out", paramLabel = "N",
            description = "hold out every N-th normal trace to choose the threshold (default: ${DEFAULT-VALUE})")
    int holdOutEvery = 5;

    @Option(names = "--max-sequences", paramLabel = "N",
            description = "most distinct sequences kept per program (default: ${DEFAULT-VALUE})")
    int maxSequences = Trainer.DEFAULT_MAX_SEQUENCES;

    Trainer trainer() {
        return new Trainer(new AnomalyModel.Settings(Method.of(method), window, frame), maxSequences, rate(far),
                holdOutEvery);
    }

    /** {@code 1%} or {@code 0.01} as a share. */
    static double rate(String text) {
        try {
            String t = text.trim();
            return t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100 : Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a rate: '" + text + "' (e.g. 1% or 0.01)", e);
        }
    }
}
