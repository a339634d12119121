package io.vmiscope.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmiscope.detect.anomaly.Evaluation;
import io.vmiscope.detect.anomaly.Evaluator;
import io.vmiscope.detect.anomaly.Roc;
import io.vmiscope.detect.anomaly.TraceFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code vmiscope detect evaluate}: trains on a data set's training traces, scores its normal and attack traces
 * and prints trace-level ROC figures (docs/detection.md).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate an anomaly method on a data set: AUC, detection rate at 5%% false alarms, false "
                + "alarms at 90%% detection, AUC per attack family.",
                "Without --normal, the training traces are cross-validated (--folds): each is scored by a model "
                        + "trained on the others, which also measures the false alarms of the --far threshold."})
final class DetectEvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    AnomalyOptions options;

    @Option(names = "--format", required = true, paramLabel = "F", description = "adfa or unm")
    String format;

    @Option(names = "--train", required = true, paramLabel = "DIR", description = "training (normal) traces; repeatable")
    List<Path> train;

    @Option(names = "--normal", paramLabel = "DIR", description = "normal traces to score; repeatable")
    List<Path> normal = List.of();

    @Option(names = "--attack", paramLabel = "DIR",
            description = "attack traces: one run per sub-folder FAMILY_N (ADFA) or per file; repeatable")
    List<Path> attack = List.of();

    @Option(names = "--folds", paramLabel = "K", description = "cross-validation folds without --normal "
            + "(default: ${DEFAULT-VALUE})")
    int folds = 5;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Option(names = "--scores", paramLabel = "FILE", description = "also write path,label,score per trace (CSV)")
    Path scores;

    @Override
    public Integer call() throws IOException {
        Evaluation evaluation;
        try (TraceProgress progress = TraceProgress.of("evaluating")) {
            evaluation = new Evaluator(TraceFormat.of(format), options.trainer(), folds)
                    .run(train, normal, attack, progress);
        }
        if (scores != null) {
            writeScores(evaluation, scores);
        }
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> figures = figures(evaluation);
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(figures));
        } else {
            print(evaluation, out);
        }
        out.flush();
        return 0;
    }

    private Map<String, Object> figures(Evaluation e) {
        Optional<Roc> roc = e.roc();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("auc", roc.map(Roc::auc).orElse(null));
        f.put("dr_at_far_5", roc.map(r -> r.detectionAtFalseAlarms(0.05)).orElse(null));
        f.put("far_at_dr_90", roc.map(r -> r.falseAlarmsAtDetection(0.90)).orElse(null));
        f.put("families", e.familyAucs());
        Map<String, Long> traces = new LinkedHashMap<>();
        traces.put("normal", e.normalCount());
        traces.put("attack", e.attackCount());
        f.put("traces", traces);
        f.put("method", options.method);
        f.put("window", options.window);
        f.put("frame", options.frame);
        if (!e.crossValidated().isEmpty()) {
            f.put("cv_far_target", AnomalyOptions.rate(options.far));
            f.put("cv_far", e.crossValidatedFar());
            f.put("cv_far_folds", e.crossValidated().stream().map(Evaluation.FoldFalseAlarms::observedFar).toList());
        }
        return f;
    }

    private void print(Evaluation e, PrintWriter w) {
        w.printf(Locale.ROOT, "traces: %d normal%s, %d attack (%s, window %d, frame %s)%n", e.normalCount(),
                e.crossValidated().isEmpty() ? "" : " (cross-validated, " + folds + " folds)", e.attackCount(),
                options.method, options.window, options.frame == 0 ? "whole trace" : options.frame + " calls");
        e.roc().ifPresentOrElse(r -> {
            w.printf(Locale.ROOT, "AUC                            %.3f%n", r.auc());
            w.printf(Locale.ROOT, "detection at 5%% false alarms    %.1f%%%n", r.detectionAtFalseAlarms(0.05) * 100);
            w.printf(Locale.ROOT, "false alarms at 90%% detection   %.1f%%%n", r.falseAlarmsAtDetection(0.90) * 100);
            e.familyAucs().forEach((family, auc) -> w.printf(Locale.ROOT, "  AUC %-26s %.3f%n",
                    ProcessListRenderer.safe(family), auc));
        }, () -> w.println("no ROC: it needs both normal and attack traces"));
        if (!e.crossValidated().isEmpty()) {
            w.printf(Locale.ROOT, "false alarms at the %s threshold, on unseen normal traces: %.2f%% (folds:",
                    options.far, e.crossValidatedFar() * 100);
            e.crossValidated().forEach(f -> w.printf(Locale.ROOT, " %.2f%%", f.observedFar() * 100));
            w.println(")");
        }
    }

    private static void writeScores(Evaluation e, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("path,label,score\n");
            for (Evaluation.ScoredTrace t : e.traces()) {
                w.write(csv(t.path()) + "," + (t.attack() ? "attack" : "normal") + "," + t.score() + "\n");
            }
        }
    }

    /** A CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
    static String csv(String text) {
        if (text.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
