package io.vmiscope.cli;

import io.vmiscope.detect.anomaly.AnomalyModel;
import io.vmiscope.detect.anomaly.ModelFile;
import io.vmiscope.detect.anomaly.ProgramModel;
import io.vmiscope.detect.anomaly.StoreTraces;
import io.vmiscope.detect.anomaly.TraceFormat;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.StoreOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vmiscope detect train}: an anomaly model from a data set's normal traces or a VM's stored syscalls. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a model of normal syscall sequences, per program, and choose its alert threshold on "
                + "held-out normal traces.",
                "From a data set: --format adfa|unm --train PATH… (one model for any program).",
                "From a store: --db DB --vm NAME [--from T --to T] (one model per executable)."})
final class DetectTrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    AnomalyOptions options;

    @Option(names = "--format", paramLabel = "F", description = "adfa or unm: the layout of --train")
    String format;

    @Option(names = "--train", paramLabel = "PATH", description = "normal trace files or folders (repeatable)")
    List<Path> train = List.of();

    @Option(names = "--db", paramLabel = "PATH", description = "train from this store's syscall events of a normal "
            + "run instead of a data set (none unless given; the usual store is " + DbOption.DEFAULT + ")")
    Path db;

    @Option(names = "--vm", paramLabel = "NAME", description = "the VM whose stored syscalls to train on")
    String vm;

    @Option(names = "--from", paramLabel = "TIME", description = "start of the normal run in the store")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "end of the normal run in the store")
    String to;

    @Option(names = "--out", required = true, paramLabel = "MODEL", description = "the model file to write")
    Path out;

    @Option(names = "--name", paramLabel = "NAME",
            description = "the model's name, its alerts' rule id (default: the file name without extension)")
    String name;

    @Override
    public Integer call() throws IOException, SQLException {
        boolean fromStore = db != null;
        if (fromStore == (format != null)) {
            throw new IllegalArgumentException("give either --format with --train, or --db with --vm");
        }
        String modelName = name != null ? name : out.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        AnomalyModel model;
        try (TraceProgress progress = TraceProgress.of("training")) {
            if (fromStore) {
                model = fromStore(modelName, progress);
            } else {
                if (train.isEmpty()) {
                    throw new IllegalArgumentException("--format needs --train PATH");
                }
                model = options.trainer().train(modelName,
                        TraceFormat.of(format).source(train, AnomalyModel.ANY_PROGRAM), progress);
            }
        }
        ModelFile.write(model, out);
        print(model, spec.commandLine().getOut());
        return 0;
    }

    private AnomalyModel fromStore(String modelName, TraceProgress progress) throws IOException, SQLException {
        if (vm == null) {
            throw new IllegalArgumentException("--db needs --vm NAME");
        }
        if (!Files.isRegularFile(db)) {
            throw new NoSuchFileException("no store at " + db);
        }
        try (DuckDbEventStore store = DuckDbEventStore.open(db, StoreOptions.defaults());
             Connection reader = store.openConnection()) {
            StoreTraces traces = new StoreTraces(reader, vm, from == null ? null : QueryCommand.time(from),
                    to == null ? null : QueryCommand.time(to));
            return options.trainer().train(modelName, traces, progress).withSyscallAction(traces.syscallAction());
        }
    }

    private void print(AnomalyModel model, PrintWriter w) {
        AnomalyModel.Settings s = model.settings();
        AnomalyModel.Threshold t = model.threshold();
        w.printf(Locale.ROOT, "model %s: %s, window %d, frame %s -> %s%n", model.name(), s.method().label(), s.window(),
                s.frame() == 0 ? "whole trace" : s.frame() + " calls", out);
        if (!model.syscallAction().isEmpty()) {
            w.println("trained on the events of " + ProcessListRenderer.safe(model.syscallAction())
                    + ": score live with the same action");
        }
        w.printf(Locale.ROOT, "threshold %.4f: at most %.1f%% of %d held-out normal traces above it%n", t.score(),
                t.farTarget() * 100, t.heldOutTraces());
        for (Map.Entry<String, ProgramModel> e : model.programs().entrySet()) {
            ProgramModel p = e.getValue();
            w.printf(Locale.ROOT, "  %-40s %6d traces %10d syscalls %8d sequences %4d syscall kinds%s%n",
                    ProcessListRenderer.safe(e.getKey()), p.traces(), p.calls(), p.sequences(), p.symbols(),
                    p.refused() > 0 ? "  (" + p.refused() + " refused: bound reached)" : "");
        }
        w.flush();
    }
}
