package io.vmiscope.cli;

import io.vmiscope.cli.bench.StoreProgress;
import io.vmiscope.events.Durations;
import io.vmiscope.overhead.experiment.Design;
import io.vmiscope.overhead.experiment.ExperimentRunner;
import io.vmiscope.overhead.experiment.ExperimentStore;
import io.vmiscope.overhead.experiment.PlannedRun;
import io.vmiscope.overhead.experiment.Window;
import io.vmiscope.overhead.workload.Workloads;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.StoreOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vmiscope overhead measure}: runs an experiment design on a demo guest it boots, storing every run. */
@Command(name = "measure", mixinStandardHelpOptions = true,
        description = {"Boot a demo guest and measure the slowdown each combination of actions causes on each workload: "
                + "every combination of up to 5 actions (beyond: all singles and pairs plus --larger random bigger ones), "
                + "--repetitions times, in random order, with a baseline before, between and after them. Every run is "
                + "stored at once (tables experiments, experiment_runs): run the same command again to resume an "
                + "interrupted experiment."})
final class OverheadMeasureCommand implements Callable<Integer> {

    static final List<String> DEFAULT_ACTIONS = List.of("procevents", "pslist:1s", "network", "syscalls:file");

    @Option(names = "--actions", split = ",", paramLabel = "SPEC",
            description = "the actions to combine, as 'monitor --action' takes them; commas separate actions, so name "
                    + "single syscalls with groups or give --actions once per action (default: procevents, pslist:1s, "
                    + "network, syscalls:file)")
    List<String> actions;

    @Option(names = "--action", paramLabel = "SPEC", description = "one more action (may contain commas, e.g. syscalls:openat,read)")
    List<String> extraActions;

    @Option(names = "--workloads", split = ",", paramLabel = "NAME",
            description = "workloads (default: all: web, syscalls, forkexec, fileio, cpu)")
    List<String> workloads;

    @Option(names = "--repetitions", defaultValue = "2", description = "runs of each workload × combination (default: ${DEFAULT-VALUE})")
    int repetitions;

    @Option(names = "--window", defaultValue = "3s", paramLabel = "DURATION",
            description = "measured time of one run, e.g. 3s or 500ms (default: ${DEFAULT-VALUE})")
    String window;

    @Option(names = "--warm-up", defaultValue = "1s", paramLabel = "DURATION",
            description = "time between starting the actions and measuring (default: ${DEFAULT-VALUE})")
    String warmUp;

    @Option(names = "--baseline-every", defaultValue = "3", paramLabel = "N",
            description = "monitored runs between two baselines (default: ${DEFAULT-VALUE})")
    int baselineEvery;

    @Option(names = "--larger", defaultValue = "10", paramLabel = "N",
            description = "with more than 5 actions: random combinations of 3 or more (default: ${DEFAULT-VALUE})")
    int larger;

    @Option(names = "--max-actions", defaultValue = "0", paramLabel = "N",
            description = "combinations of at most N actions (e.g. 2: single actions and pairs, what the model is "
                    + "fitted on); 0 for all (default: ${DEFAULT-VALUE})")
    int maxActions;

    @Option(names = "--seed", defaultValue = "1", description = "seeds the order and the random combinations (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--experiment", defaultValue = "default", paramLabel = "NAME",
            description = "the experiment's name in the store; the same name and options resume it (default: ${DEFAULT-VALUE})")
    String experiment;

    @Mixin
    DbOption db;

    @Option(names = "--dry-run", description = "print the plan's size and estimated duration, and stop")
    boolean dryRun;

    @Mixin
    GuestCommand.BootOptions boot;

    @Override
    public Integer call() {
        Design design = design();
        describe(experiment, design);
        if (dryRun) {
            return 0;
        }
        return run(db.path(), experiment, design, boot).complete() ? 0 : 1;
    }

    /** Prints the design's size and estimated duration. */
    static void describe(String experiment, Design design) {
        List<PlannedRun> plan = design.plan();
        Duration estimate = design.estimatedDuration(Duration.ofMillis(1500), GuestTestbed.WORKLOAD_WARM_UP);
        System.err.printf("vmiscope: experiment '%s': %d actions → %d combinations × %d workloads × %d repetitions = "
                        + "%d monitored runs + %d baselines; about %s%n", experiment, design.actions().size(),
                design.combinations().size(), design.workloads().size(), design.repetitions(),
                plan.stream().filter(r -> !r.baseline()).count(), plan.stream().filter(PlannedRun::baseline).count(),
                StoreProgress.duration(estimate.toSeconds()));
    }

    /** Boots a demo guest and runs (or resumes) the experiment, storing every run in {@code db}; Ctrl-C stops after the current run. */
    static ExperimentRunner.Outcome run(Path db, String experiment, Design design, GuestCommand.BootOptions boot) {
        try (DuckDbEventStore store = DuckDbEventStore.open(db, StoreOptions.defaults());
             OverheadGuest guest = OverheadGuest.boot(boot, "overhead")) {
            GuestTestbed testbed = new GuestTestbed(guest.session(), guest.workloads(), guest.vcpus());
            Thread main = Thread.currentThread();
            Thread onCtrlC = new Thread(main::interrupt, "vmiscope-measure-interrupt");
            Runtime.getRuntime().addShutdownHook(onCtrlC);
            ExperimentRunner.Outcome outcome;
            try {
                outcome = new ExperimentRunner(new ExperimentStore(store), testbed, new Printed(), System::nanoTime).run(experiment, design);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(onCtrlC);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the JVM is already ending; the runner stopped after the current run
                }
            }
            System.err.printf("vmiscope: experiment '%s' %s: %d of %d runs stored (%d now) in %s%n", experiment,
                    outcome.complete() ? "complete" : "interrupted — run the same command to resume",
                    outcome.storedBefore() + outcome.ranNow(), outcome.planned(), outcome.ranNow(), db);
            return outcome;
        }
    }

    Design design() {
        List<String> all = new java.util.ArrayList<>(actions == null && extraActions == null ? DEFAULT_ACTIONS : List.of());
        if (actions != null) {
            all.addAll(actions);
        }
        if (extraActions != null) {
            all.addAll(extraActions);
        }
        List<String> names = workloads == null
                ? Workloads.all().stream().map(io.vmiscope.overhead.workload.Workload::name).toList() : workloads;
        names.forEach(Workloads::byName); // an unknown name fails here, before anything boots
        return new Design(all, names, repetitions, Durations.parse("--window", window),
                Durations.parse("--warm-up", warmUp), baselineEvery, larger, seed, maxActions);
    }

    /** One line per run: where it is, what it measured, the time left. */
    private static final class Printed implements ExperimentRunner.Progress {
        private String prefix;

        @Override
        public void starting(PlannedRun run, int done, int total, Duration eta) {
            prefix = String.format("[%d/%d %3.0f%%%s] %s · %s", done + 1, total, 100.0 * done / total,
                    eta == null ? "" : ", " + StoreProgress.duration(eta.toSeconds()) + " left", run.workload(),
                    run.baseline() ? "baseline" : run.combination());
        }

        @Override
        public void finished(PlannedRun run, Window window) {
            System.err.printf("vmiscope: %s: %.1f ops/s%s%n", prefix, window.opsPerSecond(),
                    run.baseline() ? "" : String.format(", VM stopped %.0f%% of the window, %d stops",
                            100 * window.stoppedSeconds() / window.wallSeconds(),
                            window.stopsBySite().values().stream().mapToLong(Long::longValue).sum()));
        }
    }
}
