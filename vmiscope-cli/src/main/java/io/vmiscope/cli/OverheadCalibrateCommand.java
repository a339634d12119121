package io.vmiscope.cli;

import io.vmiscope.cli.bench.StoreProgress;
import io.vmiscope.overhead.experiment.Design;
import io.vmiscope.overhead.experiment.ExperimentRunner;
import io.vmiscope.overhead.workload.Workloads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code vmiscope overhead calibrate}: the short experiment a fresh machine needs before the model can
 * predict — single actions and pairs (what the model is fitted on), one repetition, short windows —
 * then the fit.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Calibrate the overhead model on this machine in a few minutes: boot a demo guest, measure "
                + "every single action and pair of --actions on --workloads once (short windows, baselines between), "
                + "store the runs as experiment 'calibration' (resumable), fit the model and save it where "
                + "'monitor --budget' and 'overhead predict' look for it."})
final class OverheadCalibrateCommand implements Callable<Integer> {

    @Option(names = "--actions", split = ",", paramLabel = "SPEC",
            description = "the actions (default: procevents, pslist:1s, network, syscalls:file)")
    List<String> actions;

    @Option(names = "--workloads", split = ",", paramLabel = "NAME",
            description = "workloads (default: cpu, fileio, web)")
    List<String> workloads;

    @Option(names = "--experiment", defaultValue = "calibration", paramLabel = "NAME",
            description = "the experiment's name in the store (default: ${DEFAULT-VALUE})")
    String experiment;

    @Mixin
    DbOption db;

    @Option(names = "--model", defaultValue = "vmiscope-data/overhead-model.json", paramLabel = "FILE",
            description = "where the fitted model goes (default: ${DEFAULT-VALUE})")
    Path model;

    @Option(names = "--out", defaultValue = "vmiscope-data/overhead-report", paramLabel = "DIR",
            description = "where the report goes (default: ${DEFAULT-VALUE})")
    Path out;

    @Mixin
    GuestCommand.BootOptions boot;

    @Override
    public Integer call() {
        List<String> names = workloads == null ? List.of("cpu", "fileio", "web") : workloads;
        names.forEach(Workloads::byName);
        Design design = new Design(actions == null ? OverheadMeasureCommand.DEFAULT_ACTIONS : actions, names, 1,
                Duration.ofSeconds(2), Duration.ofMillis(500), 3, 0, 1, 2);
        OverheadMeasureCommand.describe(experiment, design);
        long start = System.nanoTime();
        ExperimentRunner.Outcome outcome = OverheadMeasureCommand.run(db.path(), experiment, design, boot);
        if (!outcome.complete()) {
            return 1;
        }
        OverheadFitCommand.fit(ExperimentData.observations(db.path(), experiment), null, null, model, out);
        System.err.println("vmiscope: calibrated in " + StoreProgress.duration(Duration.ofNanos(System.nanoTime() - start).toSeconds()));
        return 0;
    }
}
