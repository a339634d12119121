package io.vmiscope.cli;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.ControlEvent;
import io.vmiscope.events.Durations;
import io.vmiscope.events.Event;
import io.vmiscope.monitor.Action;
import io.vmiscope.monitor.Actions;
import io.vmiscope.monitor.Monitor;
import io.vmiscope.overhead.Statistics;
import io.vmiscope.overhead.budget.Budget;
import io.vmiscope.overhead.budget.BudgetController;
import io.vmiscope.overhead.budget.MonitorAdapter;
import io.vmiscope.overhead.budget.Variant;
import io.vmiscope.overhead.workload.ProgressProbe;
import io.vmiscope.overhead.workload.Rate;
import io.vmiscope.overhead.workload.Workload;
import io.vmiscope.session.BudgetPlanning;
import io.vmiscope.overhead.workload.Workloads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code vmiscope overhead check-budget}: does {@code monitor --budget B} keep a workload's measured
 * slowdown within B? Each run measures the workload unmonitored, runs the request under the budget
 * (counting pass, plan, controller) and measures it again once the controller had time to settle,
 * then unmonitored again.
 */
@Command(name = "check-budget", mixinStandardHelpOptions = true,
        description = {"Boot a demo guest and check the budget controller: for each workload × request × budget, the "
                + "workload's rate without monitoring, then under 'monitor --budget' (after --settle), then without "
                + "again; print each run's measured slowdown against its budget and the coverage the controller kept, "
                + "and the share of runs within 1.1 × budget. A guest-side workload's own progress is the "
                + "controller's workload probe."})
final class OverheadBudgetCheckCommand implements Callable<Integer> {

    @Option(names = "--request", paramLabel = "A+B", description = "a request: actions joined by '+', e.g. "
            + "procevents+syscalls:file (repeat for several; default: procevents, syscalls:file, procevents+pslist:1s)")
    List<String> requests;

    @Option(names = "--budget", split = ",", paramLabel = "SLOWDOWN",
            description = "budgets, e.g. 10%%,20%% (default: 10%%)")
    List<String> budgets;

    @Option(names = "--workloads", split = ",", paramLabel = "NAME", description = "workloads (default: cpu, fileio, web)")
    List<String> workloads;

    @Option(names = "--repetitions", defaultValue = "2", description = "runs of each combination (default: ${DEFAULT-VALUE})")
    int repetitions;

    @Option(names = "--show-decisions", description = "print every controller decision with its reason to stderr")
    boolean showDecisions;

    @Option(names = "--window", defaultValue = "8s", paramLabel = "DURATION",
            description = "measured time under monitoring; two duty-cycle periods or more (default: ${DEFAULT-VALUE})")
    String window;

    @Option(names = "--settle", defaultValue = "5s", paramLabel = "DURATION",
            description = "time the controller has before the measurement (default: ${DEFAULT-VALUE})")
    String settle;

    @Option(names = "--model", defaultValue = "vmiscope-data/overhead-model.json", paramLabel = "FILE",
            description = "the overhead model the planner and controller use (default: ${DEFAULT-VALUE})")
    Path model;

    @Mixin
    GuestCommand.BootOptions boot;

    /** The counting pass and the planning before the controller starts to settle. */
    private static final Duration LOAD_BEFORE_SETTLING = Duration.ofSeconds(4);

    /** One checked run. */
    record Outcome(String workload, String request, Budget budget, double slowdown, double coverage, int decisions) {

        boolean within() {
            return slowdown <= 1.1 * budget.maxSlowdown();
        }
    }

    @Override
    public Integer call() {
        List<String> requestList = requests == null
                ? List.of("procevents", "syscalls:file", "procevents+pslist:1s") : requests;
        List<Budget> budgetList = (budgets == null ? List.of("10%") : budgets).stream().map(Budget::parse).toList();
        List<String> workloadList = workloads == null ? List.of("cpu", "fileio", "web") : workloads;
        workloadList.forEach(Workloads::byName);
        Duration measured = Durations.parse("--window", window);
        Duration settleTime = Durations.parse("--settle", settle);
        int total = workloadList.size() * requestList.size() * budgetList.size() * repetitions;
        List<Outcome> outcomes = new ArrayList<>();
        PrintStream err = System.err;
        try (OverheadGuest guest = OverheadGuest.boot(boot, "budget-check")) {
            for (String name : workloadList) {
                Workload workload = Workloads.byName(name);
                workload.start(guest.workloads());
                try {
                    sleep(GuestTestbed.WORKLOAD_WARM_UP);
                    for (String request : requestList) {
                        for (Budget budget : budgetList) {
                            for (int r = 0; r < repetitions; r++) {
                                Outcome o = check(guest, workload, request, budget, settleTime, measured);
                                outcomes.add(o);
                                err.printf(Locale.ROOT, "vmiscope: [%d/%d] %s · %s · budget %s: slowdown %.1f%% (%s), "
                                                + "coverage kept %.0f%%, %d decisions%n", outcomes.size(), total, name,
                                        request, budget, 100 * o.slowdown(), o.within() ? "within 1.1×budget" : "OVER",
                                        100 * o.coverage(), o.decisions());
                            }
                        }
                    }
                } finally {
                    workload.stop(guest.workloads());
                }
            }
        }
        System.out.print(table(outcomes));
        return 0;
    }

    private Outcome check(OverheadGuest guest, Workload workload, String request, Budget budget, Duration settleTime,
                          Duration measured) {
        // The workload's own progress is the controller's probe (the budget's "workload probes where
        // present"): it sees TCG's re-translation and armed breakpoints, which no monitor counter sees. It
        // runs from before the unmonitored baseline to after the last: the web probe's own requests slow
        // the load a little, and so every rate compared here.
        try (ProgressProbe probe = workload.probe(guest.workloads())) {
            Rate before = workload.measure(guest.workloads(), Duration.ofSeconds(3));
            probe.baseline(before);
            // The load runs on through the counting pass and the settling, as it would on a live VM: a web
            // workload's requests come only while it is measured.
            Thread load = new Thread(() -> workload.measure(guest.workloads(), settleTime.plus(LOAD_BEFORE_SETTLING)),
                    "vmiscope-budget-check-load");
            load.setDaemon(true);
            load.start();
            List<ActionSpec> specs = Stream.of(request.split("\\+")).map(ActionSpec::parse).toList();
            TargetOptions.Session session = guest.session();
            Function<ActionSpec, Action> build = spec -> Actions.build(spec, session.linux(), false);
            Budgeted under;
            try {
                BudgetPlanning.Planned planned = BudgetPlanning.plan(session.target(), build, specs, budget, model,
                        line -> { });
                under = budgeted(guest, workload, planned, probe, load, measured, showDecisions);
            } catch (IllegalArgumentException nothingFits) {
                // monitor --budget would refuse to start: nothing runs, nothing of the request is covered
                join(load);
                under = new Budgeted(workload.measure(guest.workloads(), measured), 0, 0);
            }
            Rate after = workload.measure(guest.workloads(), Duration.ofSeconds(3));
            double baseline = (before.opsPerSecond() + after.opsPerSecond()) / 2;
            double slowdown = under.rate().opsPerSecond() > 0
                    ? baseline / under.rate().opsPerSecond() - 1 : Double.POSITIVE_INFINITY;
            return new Outcome(workload.name(), request, budget, slowdown, under.coverage(), under.decisions());
        }
    }

    /** The workload's rate under a budgeted plan, the coverage the controller kept, and its decisions. */
    private record Budgeted(Rate rate, double coverage, int decisions) {
    }

    /** Runs the plan with its controller until the load thread ends (settling), then measures. */
    private static Budgeted budgeted(OverheadGuest guest, Workload workload, BudgetPlanning.Planned planned,
                                     ProgressProbe probe, Thread load, Duration measured, boolean show) {
        TargetOptions.Session session = guest.session();
        List<Event> decisions = new CopyOnWriteArrayList<>();
        Monitor monitor = new Monitor(session.driver(), session.linux(), event -> { }, Monitor.Options.named(session.name()));
        Rate during;
        double coverage;
        try (BackgroundLoop loop = BackgroundLoop.start(monitor, "vmiscope-budget-check-monitor");
             BudgetController controller = new BudgetController(session.name(), planned.plan(),
                     new MonitorAdapter(monitor, planned.built()), planned.penalty(), probe, decisions::add,
                     BudgetController.Settings.DEFAULTS, System::nanoTime)) {
            controller.start();
            join(load);
            during = workload.measure(guest.workloads(), measured);
            coverage = controller.current().stream().mapToDouble(Variant::coverage).average().orElse(0);
        }
        if (show) {
            decisions.stream().filter(e -> e instanceof ControlEvent).map(e -> (ControlEvent) e).forEach(c ->
                    System.err.printf(Locale.ROOT, "vmiscope:   %s %s: %s%n", c.action(), c.change(), c.reason()));
        }
        // counted once the controller is closed: closing records its last measurement as a decision too
        return new Budgeted(during, coverage, (int) decisions.stream().filter(e -> e instanceof ControlEvent).count());
    }

    static String table(List<Outcome> outcomes) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%-8s %-28s %7s %10s %8s %9s%n", "workload", "request", "budget", "slowdown",
                "within", "coverage"));
        for (Outcome o : outcomes) {
            s.append(String.format(Locale.ROOT, "%-8s %-28s %6.0f%% %9.1f%% %8s %8.0f%%%n", o.workload(), o.request(),
                    100 * o.budget().maxSlowdown(), 100 * o.slowdown(), o.within() ? "yes" : "NO", 100 * o.coverage()));
        }
        long within = outcomes.stream().filter(Outcome::within).count();
        s.append(String.format(Locale.ROOT, "%d of %d runs (%.0f%%) within 1.1 × budget (goal: ≥ 95%%); "
                        + "median coverage kept %.0f%%%n", within, outcomes.size(),
                outcomes.isEmpty() ? 0.0 : 100.0 * within / outcomes.size(),
                outcomes.isEmpty() ? 0.0 : 100 * Statistics.median(outcomes.stream().mapToDouble(Outcome::coverage).toArray())));
        return s.toString();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
