package io.vmiscope.cli;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.Durations;
import io.vmiscope.events.Event;
import io.vmiscope.events.EventJson;
import io.vmiscope.events.EventSink;
import io.vmiscope.monitor.Action;
import io.vmiscope.events.ProcessFilter;
import io.vmiscope.monitor.Actions;
import io.vmiscope.overhead.budget.Budget;
import io.vmiscope.overhead.budget.BudgetController;
import io.vmiscope.overhead.budget.MonitorAdapter;
import io.vmiscope.overhead.budget.WorkloadProbe;
import io.vmiscope.overhead.workload.ServiceProbe;
import io.vmiscope.events.AlertEvent;
import io.vmiscope.session.BudgetPlanning;
import io.vmiscope.session.LiveDetection;
import io.vmiscope.session.Session;
import io.vmiscope.session.SessionSinks;
import io.vmiscope.session.Target;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.EventColumns;
import io.vmiscope.store.EventIds;
import io.vmiscope.store.StoreOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** {@code vmiscope monitor}: run introspection actions against a live VM and stream their events. */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = {"Run introspection actions against a live VM and stream their events until Ctrl-C or "
                + "--duration ends, then print what each action cost the VM.",
                "", "Actions: " + ActionSpec.HELP, "",
                "Examples:", "  vmiscope monitor --vm demo --action syscalls:file,network --action procevents --action pslist:5s",
                "  vmiscope monitor --vm demo --action syscalls:openat --process httpd --returns",
                "  vmiscope monitor --vm demo --action procevents --duration 60s --out events.jsonl",
                "  vmiscope monitor --vm demo --action syscalls:file --db vmiscope-data/vmiscope.duckdb",
                "  vmiscope monitor --vm demo --action syscalls:all --action procevents --budget 10%%"})
final class MonitorCommand implements Callable<Integer> {

    /** Measured beside process events in the counting pass: one walk, for the snapshot variants' cost. */

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
            + "this DuckDB store (none unless given; the other commands' default is " + DbOption.DEFAULT
            + "; see docs/store.md)")
    Path db;

    @Option(names = "--db-drop-when-full", description = "with --db: when the store falls behind, drop events "
            + "(counted and reported) instead of holding up the monitor")
    boolean dropWhenFull;

    @Option(names = "--budget", paramLabel = "SLOWDOWN", description = "keep the VM's slowdown under this, e.g. 10%% "
            + "or 0.1: a 2 s counting pass measures the hooks' rates; the request starts as it is if it is predicted "
            + "to fit, else the variant that keeps most of it (fewer syscalls, longer snapshot periods, snapshots "
            + "instead of process events, duty cycles); every second the measured slowdown degrades or restores "
            + "actions one step. Each decision is a control event with its reason")
    String budget;

    @Option(names = "--probe-url", paramLabel = "URL", description = "with --budget: a service of the VM to probe, "
            + "e.g. http://127.0.0.1:8080/health: its latency (a GET every 100 ms, against 2 s measured before "
            + "monitoring) is the controller's workload probe, which sees what no monitor counter sees (under TCG: "
            + "re-translation and inserted breakpoints)")
    String probeUrl;

    @Option(names = "--detect", description = "run Sigma rules on the events as they come (vmiscope's default ruleset "
            + "and any --rules): alerts are printed among the events (--json: one JSON object per alert with rule_id, "
            + "title, level, time_ns, vm, pid, process, techniques, evidence) and stored with --db. Their follow-ups are "
            + "reported, not run: the demo's live session runs them within its budget")
    boolean detect;

    @Mixin
    RuleOptions rules;

    @Option(names = "--model", defaultValue = "vmiscope-data/overhead-model.json", paramLabel = "FILE",
            description = "with --budget: the overhead model 'vmiscope overhead fit' saved; used for the actions it was "
                    + "fitted on, the others are predicted from their measured VM-stopped time only (default: ${DEFAULT-VALUE})")
    Path model;

    /** How long the probed service is timed before monitoring starts. */
    private static final Duration PROBE_BASELINE = Duration.ofSeconds(2);

    @Override
    public Integer call() throws IOException {
        Duration limit = duration == null ? Duration.ofDays(3650) : Durations.parse("--duration", duration);
        Budget maxSlowdown = budget == null ? null : Budget.parse(budget);
        if (probeUrl != null && maxSlowdown == null) {
            throw new IllegalArgumentException("--probe-url feeds the budget controller: give --budget too");
        }
        ProcessFilter filter = new ProcessFilter(pids, names);
        List<ActionSpec> specs = actions.stream().map(text -> ActionSpec.parse(text).restrictedTo(filter)).toList();
        TargetOptions.Resolved resolved = target.resolve();
        // timed before attaching: an attached debugger holds the VM until the monitor runs
        try (ServiceProbe service = probeUrl == null ? null : ServiceProbe.start(probeUrl, PROBE_BASELINE);
             TargetOptions.Session session = TargetOptions.attach(resolved)) {
            Target vm = session.target();
            Function<ActionSpec, Action> build = spec -> Actions.build(spec, session.linux(), returns);
            Optional<DuckDbEventStore> store = Optional.ofNullable(db).map(file -> DuckDbEventStore.open(file,
                    StoreOptions.defaults().withDropWhenFull(dropWhenFull).withWarnings(MonitorCommand::log)));
            SessionSinks sinks = new SessionSinks();
            Optional<LiveDetection> detection = detect ? Optional.of(new LiveDetection(
                    rules.liveDetector(specs, session.linux()), MonitorCommand::log)) : Optional.empty();
            detection.ifPresent(sinks::add); // first: closing drains it while the others still take its last alerts
            sinks.add(oneAtATime(sink()));
            store.ifPresent(sinks::addOwnedElsewhere);
            // without the live session's controller, follow-ups are only reported as requested
            detection.ifPresent(d -> d.deliverTo(sinks, alert -> alert));
            if (maxSlowdown == null) {
                Session.run(vm, specs.stream().map(build).toList(), sinks, store, limit, m -> { }, MonitorCommand::log);
            } else {
                runWithin(maxSlowdown, vm, specs, build, sinks, store, limit, service);
            }
        }
        return 0;
    }

    /** A line for people, on standard error: standard output carries the events. */
    static void log(String line) {
        System.err.println("vmiscope: " + line);
    }

    /**
     * Counts the hooks' rates (with actions of its own: a snapshot's memory of the last one starts fresh
     * in the run), plans the request under the budget, prints the plan, and runs the plan's start with a
     * budget controller beside the monitor's loop.
     *
     * @param service the probed service, or null for none
     */
    private void runWithin(Budget maxSlowdown, Target vm, List<ActionSpec> specs, Function<ActionSpec, Action> build,
                           SessionSinks sinks, Optional<DuckDbEventStore> store, Duration limit, ServiceProbe service) {
        if (service != null) {
            log(service.describe());
        }
        WorkloadProbe probe = service == null ? WorkloadProbe.NONE : service;
        BudgetPlanning.Planned planned = BudgetPlanning.plan(vm, build, specs, maxSlowdown, model, MonitorCommand::log);
        Session.run(vm, (monitor, sink) -> {
            BudgetController controller = new BudgetController(vm.name(), planned.plan(),
                    new MonitorAdapter(monitor, planned.built()), planned.penalty(), probe, sink,
                    BudgetController.Settings.DEFAULTS, System::nanoTime);
            controller.start();
            return controller::close;
        }, sinks, store, limit, MonitorCommand::log);
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
        EventIds ids = new EventIds();
        if (json) {
            EventSink writer = EventJson.writer(System.out);
            return event -> {
                if (event instanceof AlertEvent alert) {
                    System.out.println(DetectCommand.jsonLine(alert, ids.live(alert, EventColumns.fieldsJson(alert))));
                } else {
                    writer.accept(event);
                }
            };
        }
        return event -> System.out.println(event instanceof AlertEvent alert
                ? "ALERT " + DetectCommand.line(alert) : EventText.line(event));
    }

    /** Alerts come from detection's thread, events from the monitor's: one line at a time. */
    private static EventSink oneAtATime(EventSink sink) {
        return new EventSink() {
            @Override
            public synchronized void accept(Event event) {
                sink.accept(event);
            }

            @Override
            public synchronized void close() {
                sink.close();
            }
        };
    }
}
