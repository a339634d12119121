package io.vmiscope.detect.anomaly;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Measures how well a method separates normal from attack traces of a data set: trains on the training
 * traces, scores the normal and attack traces, and keeps every score. Without separate normal traces it
 * cross-validates: the training traces are split into {@code folds}; each fold is scored by a model trained
 * (threshold included) on the others, which also measures the false alarms that threshold really gives.
 * Attack traces are always scored by the model trained on all training traces.
 *
 * @param format  the data set's layout
 * @param trainer how models are trained (its hold-out is used for the cross-validated thresholds)
 * @param folds   the number of folds when there are no separate normal traces (2 or more)
 */
public record Evaluator(TraceFormat format, Trainer trainer, int folds) {

    public Evaluator {
        if (folds < 2) {
            throw new IllegalArgumentException("cross-validation needs 2 or more folds, got " + folds);
        }
    }

    /**
     * Runs the evaluation.
     *
     * @param train    the training traces' files or folders
     * @param normal   normal traces to score; empty to cross-validate the training traces instead
     * @param attack   attack traces: each folder directly below a given folder, or each given file, is one run,
     *                 whose family is its name without extension and trailing {@code _N} (ADFA's
     *                 {@code Hydra_SSH_3} is {@code Hydra_SSH})
     * @param progress told of each trace read
     */
    public Evaluation run(List<Path> train, List<Path> normal, List<Path> attack, Consumer<Trace> progress) {
        TraceSource training = format.source(train, AnomalyModel.ANY_PROGRAM);
        List<Evaluation.ScoredTrace> scored = new ArrayList<>();
        List<Evaluation.FoldFalseAlarms> folded = new ArrayList<>();
        Trainer plain = new Trainer(trainer.settings(), trainer.maxSequences(), 0, 0);
        AnomalyModel full = normal.isEmpty() && attack.isEmpty() ? null : plain.train("evaluation", training, progress);
        if (normal.isEmpty()) {
            for (int fold = 0; fold < folds; fold++) {
                folded.add(crossValidate(training, fold, scored, progress));
            }
        } else {
            score(full, format.source(normal, AnomalyModel.ANY_PROGRAM), false, "", scored, progress);
        }
        for (Path root : attack) {
            for (Path run : runs(root)) {
                score(full, format.source(run, AnomalyModel.ANY_PROGRAM), true, family(run), scored, progress);
            }
        }
        return new Evaluation(scored, folded);
    }

    /** An attack run's family: its name without extensions and a trailing {@code _N} or {@code -N}. */
    static String family(Path run) {
        String name = run.getFileName().toString();
        name = name.replaceFirst("(\\.(tar|gz|tgz|int|txt|log))+$", "");
        return name.replaceFirst("[_-]\\d+$", "");
    }

    private Evaluation.FoldFalseAlarms crossValidate(TraceSource training, int fold, List<Evaluation.ScoredTrace> out,
                                                     Consumer<Trace> progress) {
        AnomalyModel model = trainer.train("fold " + fold, part(training, fold, false), progress);
        List<Evaluation.ScoredTrace> scores = new ArrayList<>();
        score(model, part(training, fold, true), false, "", scores, progress);
        long above = scores.stream().filter(s -> model.isAnomalous(s.score())).count();
        out.addAll(scores);
        return new Evaluation.FoldFalseAlarms(model.threshold().farTarget(), model.threshold().score(), scores.size(),
                scores.isEmpty() ? 0 : (double) above / scores.size());
    }

    /** The traces of {@code fold} ({@code inFold}) or of every other fold. */
    private TraceSource part(TraceSource training, int fold, boolean inFold) {
        return each -> {
            int[] index = {0};
            training.forEach(t -> {
                if ((index[0]++ % folds == fold) == inFold) {
                    each.accept(t);
                }
            });
        };
    }

    private static void score(AnomalyModel model, TraceSource source, boolean attack, String family,
                              List<Evaluation.ScoredTrace> out, Consumer<Trace> progress) {
        source.forEach(trace -> {
            progress.accept(trace);
            out.add(new Evaluation.ScoredTrace(trace.path(), attack, family,
                    model.score(trace.program(), trace.syscalls())));
        });
    }

    private static List<Path> runs(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of(root);
        }
        try (var children = Files.list(root)) {
            return children.sorted().toList();
        } catch (java.io.IOException e) {
            throw new TraceFileException(root.toString(), "cannot list: " + e.getMessage(), e);
        }
    }
}
