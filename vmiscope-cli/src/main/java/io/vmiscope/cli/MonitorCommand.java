package io.vmiscope.cli;

import io.vmiscope.events.Event;
import io.vmiscope.events.EventJson;
import io.vmiscope.events.EventSink;
import io.vmiscope.monitor.Action;
import io.vmiscope.monitor.ProcessFilter;
import io.vmiscope.overhead.SlowdownPredictor;
import io.vmiscope.overhead.budget.Budget;
import io.vmiscope.overhead.budget.BudgetController;
import io.vmiscope.overhead.budget.BuiltActions;
import io.vmiscope.overhead.budget.DutyCycles;
import io.vmiscope.overhead.budget.MonitorAdapter;
import io.vmiscope.overhead.budget.Plan;
import io.vmiscope.overhead.budget.Planner;
import io.vmiscope.overhead.budget.StopPenalty;
import io.vmiscope.overhead.budget.StoppedTimePredictor;
import io.vmiscope.overhead.budget.WorkloadProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** {@code vmiscope monitor}: run introspection actions against a live VM and stream their events. */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = {"Run introspection actions against a live VM and stream their events until Ctrl-C or "
                + "--duration ends, then print what each action cost the VM.",
                "", "Actions: " + ActionSpecs.HELP, "",
                "Examples:", "  vmiscope monitor --vm demo --action syscalls:file,network --action procevents --action pslist:5s",
                "  vmiscope monitor --vm demo --action syscalls:openat --process httpd --returns",
                "  vmiscope monitor --vm demo --action procevents --duration 60s --out events.jsonl",
                "  vmiscope monitor --vm demo --action syscalls:file --db vmiscope-data/vmiscope.duckdb",
                "  vmiscope monitor --vm demo --action syscalls:all --action procevents --budget 10%"})
final class MonitorCommand implements Callable<Integer> {

    /** Measured beside process events in the counting pass: one walk, for the snapshot variants' cost. */
    private static final String PROCESS_SNAPSHOT_PROBE = "pslist:1s";

    @Mixin
    TargetOptions target;

    @Option(names = "--action", required = true, paramLabel = "ACTION", description = "an action to run (repeatable)")
    List<String> actions;

    @Option(names = "--duration", paramLabel = "TIME", description = "stop after this long, e.g. 60s or 5m (default: until Ctrl-C)")
    String duration;

    @Option(names = "--json", description = "JSON lines on standard output instead of readable lines")
    boolean json;

    @Option(names = "--out", paramLabel = "FILE", description = "write JSON lines to FILE (appending)")
    Path out;

    @Option(names = "--pid", paramLabel = "PID", description = "report only these processes (repeatable)")
    Set<Integer> pids = Set.of();

    @Option(names = "--process", paramLabel = "NAME", description = "report only processes with this name (repeatable)")
    Set<String> names = Set.of();

    @Option(names = "--returns", description = "syscall events carry return values with errno names (a temporary "
            + "breakpoint on each call's return: more stops)")
    boolean returns;

    @Option(names = "--db", paramLabel = "PATH", description = "also keep the events, and at the end the costs, in "
            + "this DuckDB store (e.g. vmiscope-data/vmiscope.duckdb; see docs/store.md)")
    Path db;

    @Option(names = "--db-drop-when-full", description = "with --db: when the store falls behind, drop events "
            + "(counted and reported) instead of holding up the monitor")
    boolean dropWhenFull;

    @Option(names = "--budget", paramLabel = "SLOWDOWN", description = "keep the VM's slowdown under this, e.g. 10% "
            + "or 0.1: a 2 s counting pass measures the hooks' rates; the request starts as it is if it is predicted "
            + "to fit, else the variant that keeps most of it (fewer syscalls, longer snapshot periods, snapshots "
            + "instead of process events, duty cycles); every second the measured slowdown degrades or restores "
            + "actions one step. Each decision is a control event with its reason")
    String budget;

    @Override
    public Integer call() throws IOException {
        Duration limit = duration == null ? Duration.ofDays(3650) : ActionSpecs.period("--duration", duration);
        Budget maxSlowdown = budget == null ? null : Budget.parse(budget);
        ProcessFilter filter = new ProcessFilter(pids, names);
        MonitoringRun.Settings settings = new MonitoringRun.Settings(limit, db, dropWhenFull);
        TargetOptions.Resolved resolved = target.resolve();
        try (TargetOptions.Session session = TargetOptions.attach(resolved)) {
            Function<String, Action> build = spec -> ActionSpecs.parse(spec, session.linux(), filter, returns);
            if (maxSlowdown == null) {
                MonitoringRun.run(session, actions.stream().map(build).toList(), sink(), settings, m -> { });
            } else {
                runWithin(maxSlowdown, session, build, settings);
            }
        }
        return 0;
    }

    /**
     * Counts the hooks' rates (with actions of its own: a snapshot's memory of the last one starts fresh
     * in the run), plans the request under the budget, prints the plan, and runs the plan's start with a
     * budget controller beside the monitor's loop.
     */
    private void runWithin(Budget maxSlowdown, TargetOptions.Session session, Function<String, Action> build,
                           MonitoringRun.Settings settings) throws IOException {
        PrintStream err = System.err;
        err.println("vmiscope: counting hook rates for " + HookRateProbe.WINDOW.toSeconds() + " s (events not reported)");
        HookRateProbe.Result probe = HookRateProbe.measure(session, probeSpecs().stream().map(build).toList(),
                HookRateProbe.WINDOW);
        BuiltActions built = new BuiltActions(build);
        Plan plan = new Planner(predictor(probe), built, probe.lifetimes(), DutyCycles.DEFAULT_PERIOD)
                .plan(actions, probe.rates(), session.driver().vcpus().size(), maxSlowdown);
        err.println("vmiscope: predictions count the VM-stopped time measured in the counting pass; under TCG each "
                + "stop also costs the guest a re-translation they do not include (docs/gdbstub.md)");
        plan.describe().forEach(line -> err.println("vmiscope: " + line));
        if (plan.best().isEmpty()) {
            throw new IllegalArgumentException("nothing of the request fits a budget of " + maxSlowdown
                    + "; raise --budget or ask for less");
        }
        StopPenalty penalty = StopPenalty.implied(plan.ladders(), probe.rates(), probe.secondsPerStop());
        MonitoringRun.run(session, (monitor, sink) -> {
            BudgetController controller = new BudgetController(session.name(), plan, new MonitorAdapter(monitor, built),
                    penalty, WorkloadProbe.NONE, sink, BudgetController.Settings.DEFAULTS, System::nanoTime);
            controller.start();
            return controller::close;
        }, sink(), settings);
    }

    /**
     * The requested actions, and a process snapshot beside process events: the planner's snapshot
     * variants of process events then have a measured walk time.
     */
    private List<String> probeSpecs() {
        List<String> specs = new ArrayList<>(actions);
        if (actions.contains("procevents") && !actions.contains(PROCESS_SNAPSHOT_PROBE)) {
            specs.add(PROCESS_SNAPSHOT_PROBE);
        }
        return specs;
    }

    /**
     * The slowdown model for planning and control: from the stopped time the counting pass measured. The
     * fitted model ({@code io.vmiscope.overhead.model}) takes this place where one is available.
     */
    static SlowdownPredictor predictor(HookRateProbe.Result probe) {
        return new StoppedTimePredictor(probe.secondsPerStop(), probe.secondsPerRun(), probe.seconds());
    }

    private EventSink sink() throws IOException {
        if (out != null) {
            OutputStream file = new FileOutputStream(out.toFile(), true);
            EventSink writer = EventJson.writer(file);
            return new EventSink() {
                @Override
                public void accept(Event event) {
                    writer.accept(event);
                }

                @Override
                public void close() {
                    writer.close();
                    try {
                        file.close();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            };
        }
        if (json) {
            return EventJson.writer(System.out);
        }
        return event -> System.out.println(EventText.line(event));
    }
}
