package io.vmiscope.session;

import io.vmiscope.detect.FollowUpRequest;
import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.CostSummary;
import io.vmiscope.events.Event;
import io.vmiscope.events.EventSink;
import io.vmiscope.events.ProcessFilter;
import io.vmiscope.monitor.CpuTimeAction;
import io.vmiscope.monitor.Monitor;
import io.vmiscope.overhead.budget.Budget;
import io.vmiscope.overhead.budget.BudgetController;
import io.vmiscope.overhead.budget.GuestCpuProbe;
import io.vmiscope.overhead.budget.Ladder;
import io.vmiscope.overhead.budget.MonitorAdapter;
import io.vmiscope.overhead.budget.Percent;
import io.vmiscope.overhead.budget.Plan;
import io.vmiscope.overhead.budget.Variant;
import io.vmiscope.session.live.ActionPreview;
import io.vmiscope.session.live.ActionStatus;
import io.vmiscope.session.live.ActionTemplate;
import io.vmiscope.session.live.LivePrediction;
import io.vmiscope.session.live.LiveVm;
import io.vmiscope.session.live.SlowdownEstimate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A VM monitored live as the browser controls it, with one budget controller deciding for everything that
 * runs: the session's default actions, and every action started from the browser (or, later, by a
 * detection's follow-up) joins the controller, which degrades and restores them all against the budget.
 * Previews and what-if predictions use the same planning (model, corrected counting-pass rates) as
 * {@code monitor --budget}; the slowdown shown is the controller's estimate, with its basis.
 *
 * <p>Its probe is the guest kernel's own CPU accounting ({@link GuestCpuProbe}): read every second by a
 * {@link CpuTimeAction}, which hooks nothing and emits no event, so it neither disturbs the guest's code
 * nor shows in the process tree or the event list. The baseline is read for {@value #BASELINE_SECONDS} s
 * before the default actions start.
 *
 * <p>Life: build it, put {@link #sink()} among the session's sinks, run the session with {@link #begin} as
 * its starter; the browser may call it from then on.
 */
public final class LiveSession implements LiveVm {

    /** What the UI offers, on a process or on the VM. */
    static final List<ActionTemplate> TEMPLATES = List.of(
            new ActionTemplate("trace-process", "Trace this process's system calls (file, network, process)", true),
            new ActionTemplate("pslist-now", "List processes now (one snapshot)", false),
            new ActionTemplate("modules-now", "List kernel modules now (one snapshot)", false),
            new ActionTemplate("network", "Trace network activity of every process", false));

    /** What a one-shot template starts: a snapshot whose period is long enough that it is stopped after its first run. */
    private static final Duration ONCE_PERIOD = Duration.ofMinutes(10);
    /** Seconds of the guest's CPU accounting read before any action starts: the probe's baseline. */
    static final int BASELINE_SECONDS = 3;
    private static final Duration PROBE_PERIOD = Duration.ofSeconds(1);

    private final String name;
    private final BudgetPlanning planning;
    private final List<ActionSpec> defaults;
    private final Set<String> oneShots = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> startedAt = new ConcurrentHashMap<>();
    private final Consumer<String> log;
    private volatile Budget budget;
    private volatile Monitor monitor;
    private volatile BudgetController controller;
    private volatile boolean monitoring;
    private final ScheduledExecutorService followUpClock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vmiscope-follow-ups");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param planning the counting pass and model, over at least {@link #probedSpecs} and {@code defaults}
     * @param defaults the actions the session starts with, under the budget
     * @param log      one line at a time for people
     */
    public LiveSession(String name, BudgetPlanning planning, Budget budget, List<ActionSpec> defaults, Consumer<String> log) {
        this.name = name;
        this.planning = planning;
        this.budget = budget;
        this.defaults = List.copyOf(defaults);
        this.log = log;
    }

    /** The actions the counting pass should measure for the templates' previews. */
    public static List<ActionSpec> probedSpecs() {
        return Stream.of("syscalls:file,network,process", "network", "procevents", "pslist:1s", "modules:1s")
                .map(ActionSpec::parse).toList();
    }

    /** What this session needs to see of the events: one-shot snapshots are stopped after their first. */
    public EventSink sink() {
        return this::seen;
    }

    private void seen(Event event) {
        if (oneShots.remove(event.action())) {
            stop(event.action());
        }
    }

    /**
     * The session's starter: the probe first, then — once its baseline is read — the default actions under
     * the budget controller. Runs the controller until the returned handle is closed.
     *
     * @param ready run once the default actions run (the browser may start more from then on)
     */
    public Session.Beside begin(Monitor monitor, EventSink sink, Runnable ready) {
        this.monitor = monitor;
        this.monitoring = true;
        GuestCpuProbe probe = new GuestCpuProbe(planning.vcpus(),
                () -> monitor.costs().stream().mapToLong(CostSummary::stoppedNanos).sum(),
                Duration.ofSeconds(BASELINE_SECONDS).toNanos());
        monitor.start(new CpuTimeAction(PROBE_PERIOD, r -> probe.accept(r.monotonicNanos(), r.totalBusyNanos())));
        Plan plan = planning.plan(defaults, budget);
        if (plan.best().isEmpty()) {
            log.accept("the default actions " + defaults + " are predicted over budget " + budget + ": they start as "
                    + "asked and the controller degrades them once measured");
            plan = planning.plan(defaults, Budget.MOST);
        }
        BudgetController c = new BudgetController(name, plan, new MonitorAdapter(monitor, planning.built()),
                planning.penalty(plan), probe, sink, BudgetController.Settings.DEFAULTS, System::nanoTime);
        c.budget(budget);
        Thread starter = new Thread(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(3L * BASELINE_SECONDS).toNanos();
            while (!probe.hasBaseline() && System.nanoTime() < deadline && monitoring) {
                sleep(100);
            }
            if (!monitoring) {
                return;
            }
            try {
                defaults.forEach(spec -> startedAt.put(planning.built().action(spec).id(), System.nanoTime()));
                c.start();
                controller = c;
            } catch (RuntimeException e) {
                log.accept("the default actions could not start: " + e.getMessage() + "; ending");
                monitor.requestEnd();
                return;
            }
            // the monitor applies starts at its next pause: the browser may act once they run
            long started = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (monitoring && System.nanoTime() < started && !monitor.running().containsAll(c.current().stream()
                    .filter(Variant::runs).map(v -> planning.built().action(v.spec()).id()).toList())) {
                sleep(50);
            }
            ready.run();
        }, "vmiscope-live-start");
        starter.setDaemon(true);
        starter.start();
        return () -> {
            monitoring = false;
            followUpClock.shutdownNow();
            join(starter);
            c.close();
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean monitoring() {
        return monitoring;
    }

    @Override
    public List<ActionStatus> actions() {
        Monitor m = monitor;
        if (m == null) {
            return List.of();
        }
        Set<String> running = new HashSet<>(m.running());
        BudgetController control = controller;
        if (control != null) {
            running.addAll(control.names()); // under control: it runs, or waits in its duty cycle's off time
        }
        long now = System.nanoTime();
        List<ActionStatus> all = new ArrayList<>();
        for (CostSummary c : m.costs()) {
            Long since = startedAt.get(c.action());
            Double fraction = since == null || now <= since ? null : Math.min(1.0, c.stoppedNanos() / (double) (now - since));
            all.add(new ActionStatus(c.action(), monitoring && running.contains(c.action()), c.hits(), c.events(),
                    c.periodicRuns(), c.stoppedNanos(), fraction, c.stoppedMedianNanos(), c.stoppedP99Nanos()));
        }
        return all;
    }

    @Override
    public Optional<SlowdownEstimate> slowdown() {
        BudgetController c = controller;
        return c == null ? Optional.empty() : c.estimate().map(e -> new SlowdownEstimate(e.slowdown(), e.basis(),
                e.lowerBound()));
    }

    @Override
    public Optional<Budget> budget() {
        return Optional.of(budget);
    }

    @Override
    public void budget(Budget budget) {
        this.budget = budget;
        BudgetController c = controller;
        if (c != null) {
            c.budget(budget);
        }
    }

    @Override
    public List<ActionTemplate> templates() {
        return TEMPLATES;
    }

    @Override
    public ActionPreview preview(String template, Integer pid) {
        ActionTemplate t = TEMPLATES.stream().filter(x -> x.id().equals(template)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no on-demand action '" + template + "'"));
        if (t.perProcess() && pid == null) {
            throw new IllegalArgumentException("'" + template + "' needs the pid of a process");
        }
        ActionSpec spec = switch (template) {
            case "trace-process" -> new ActionSpec.Syscalls(List.of("file", "network", "process"), ProcessFilter.pid(pid));
            case "pslist-now" -> new ActionSpec.ProcessList(ONCE_PERIOD, true);
            case "modules-now" -> new ActionSpec.ModuleList(ONCE_PERIOD);
            default -> new ActionSpec.NetworkEvents(ProcessFilter.ALL);
        };
        List<ActionSpec> running = runningSpecs();
        LivePrediction together = predict(concat(running, spec));
        double used = running.isEmpty() ? 0 : planning.predict(running).slowdown();
        Budget current = budget;
        List<String> notes = new ArrayList<>();
        if (!running.isEmpty()) {
            notes.add("running actions are predicted at " + Percent.of(used) + " of the budget's " + Percent.of(current.maxSlowdown()));
        }
        if (t.perProcess()) {
            notes.add(Plan.PROCESS_FILTER_NOTE);
        }
        if (oneShot(spec)) {
            notes.add("one snapshot: stopped after its first run");
        }
        List<ActionPreview.Variant> variants = new ArrayList<>();
        boolean fits = current.fits(together.prediction());
        double left = current.maxSlowdown() - used;
        if (!fits && left > 0) {
            for (Plan.Option option : planning.plan(List.of(spec), new Budget(left)).options()) {
                Variant v = option.variants().get(0);
                if (!v.runs()) {
                    continue;
                }
                boolean boxed = !v.duty().off().isZero();
                variants.add(new ActionPreview.Variant(v.spec(), v.label(), option.coverage(),
                        new LivePrediction(concat(running, v.spec()), option.prediction(), planning.basis()
                                + "; plus running actions"),
                        boxed ? v.duty().on().toMillis() : null, boxed ? v.duty().off().toMillis() : null));
            }
        }
        return new ActionPreview(template, spec, t.label(), together, current.maxSlowdown(), fits, notes, variants);
    }

    @Override
    public LivePrediction predict(List<ActionSpec> specs) {
        return new LivePrediction(specs, planning.predict(specs), planning.basis());
    }

    /**
     * Starts an action under the budget controller: as asked (or at the asked duty cycle), and degraded by the
     * controller once it is measured over the budget.
     */
    @Override
    public String start(ActionSpec spec, Duration on, Duration off) {
        BudgetController c = controller;
        if (!monitoring || c == null) {
            throw new IllegalArgumentException(monitoring ? "the monitor of " + name + " is still starting"
                    : "the monitor of " + name + " has ended");
        }
        Ladder ladder = planning.plan(List.of(spec), budget).ladders().get(0);
        int step = on == null ? 0 : dutyStep(ladder, on, off);
        String id = ladder.request().profile().id();
        if (oneShot(spec)) {
            oneShots.add(id);
        }
        startedAt.putIfAbsent(id, System.nanoTime());
        c.add(ladder, step, planning.penalty(List.of(ladder)),
                on == null ? "started from the browser" : "started from the browser, time-boxed");
        return id;
    }

    /**
     * Runs the introspection an alert asks for, under the budget controller — at the cheapest form that fits
     * what is left of the budget, or not at all — and returns the alert saying what became of each request:
     * the action, its predicted cost and whether it runs as asked, degraded or refused. When it ends, a
     * control event gives its measured cost. Any thread.
     */
    public AlertEvent followUp(AlertEvent alert, List<FollowUpRequest> requests) {
        if (requests.isEmpty()) {
            return alert;
        }
        List<String> outcomes = new ArrayList<>();
        for (FollowUpRequest request : requests) {
            outcomes.add(request.describe() + ": " + runFollowUp(alert, request));
        }
        return alert.withFollowUp(String.join("; ", outcomes));
    }

    private String runFollowUp(AlertEvent alert, FollowUpRequest request) {
        BudgetController c = controller;
        if (!monitoring || c == null) {
            return "not run (the session is " + (monitoring ? "still starting" : "over") + ")";
        }
        ActionSpec spec;
        try {
            spec = followUpSpec(alert, request);
        } catch (IllegalArgumentException e) {
            return "not run: " + e.getMessage();
        }
        double used = c.estimate().map(BudgetController.Estimate::slowdown).orElse(0.0);
        FollowUpDecision decision = FollowUpDecision.decide(budget, used,
                left -> planning.plan(List.of(spec), left));
        if (!decision.runs()) {
            return decision.outcome();
        }
        Ladder ladder = decision.ladder();
        int step = decision.step();
        String id = ladder.request().profile().id();
        try {
            c.add(ladder, step, planning.penalty(List.of(ladder)), "follow-up of alert '" + alert.title() + "'");
        } catch (IllegalArgumentException alreadyRunning) {
            return "already running as " + id;
        }
        startedAt.putIfAbsent(id, System.nanoTime());
        if (request.forDuration().isZero()) {
            oneShots.add(id);
        } else {
            followUpClock.schedule(() -> endFollowUp(id, alert, request), request.forDuration().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        return decision.outcome() + "; its measured cost: action " + id;
    }

    /** The follow-up's action, for the alert's process where it asks for that. */
    private static ActionSpec followUpSpec(AlertEvent alert, FollowUpRequest request) {
        ActionSpec spec = ActionSpec.parse(request.action());
        return request.scope() != FollowUpRequest.Scope.VM && alert.process().pid() > 0
                ? spec.restrictedTo(ProcessFilter.pid(alert.process().pid())) : spec;
    }

    private void endFollowUp(String id, AlertEvent alert, FollowUpRequest request) {
        BudgetController c = controller;
        Monitor m = monitor;
        if (c == null || m == null) {
            return;
        }
        String measured = m.costs().stream().filter(cost -> cost.action().equals(id)).findFirst()
                .map(cost -> String.format(Locale.ROOT, "%d hits, VM stopped %.1f ms", cost.hits(),
                        cost.stoppedNanos() / 1e6)).orElse("nothing ran");
        c.remove(id, "follow-up of alert '" + alert.title() + "' ended after " + request.forDuration().toSeconds()
                + " s: " + measured);
    }

    @Override
    public void stop(String actionId) {
        oneShots.remove(actionId);
        BudgetController c = controller;
        if (c == null || !c.remove(actionId, "stopped from the browser")) {
            Monitor m = monitor;
            if (m != null) {
                m.stop(actionId);
            }
        }
    }

    /** The step of {@code ladder} that runs its request on {@code on} of every {@code on + off}. */
    private static int dutyStep(Ladder ladder, Duration on, Duration off) {
        for (Ladder.Level level : ladder.levels()) {
            Variant v = level.variant();
            if (v.spec().equals(ladder.request().spec()) && v.duty().on().equals(on) && v.duty().off().equals(off)) {
                return ladder.indexOf(level);
            }
        }
        throw new IllegalArgumentException("no time box of " + on.toMillis() + " ms on, " + off.toMillis()
                + " ms off for " + ladder.request().spec() + "; use a variant from the preview");
    }

    private static boolean oneShot(ActionSpec spec) {
        return spec.equals(new ActionSpec.ProcessList(ONCE_PERIOD, true)) || spec.equals(new ActionSpec.ModuleList(ONCE_PERIOD));
    }

    /** The specs of what the controller runs now. */
    private List<ActionSpec> runningSpecs() {
        BudgetController c = controller;
        return c == null ? List.of() : c.current().stream().filter(Variant::runs).map(Variant::spec).toList();
    }

    private static List<ActionSpec> concat(List<ActionSpec> list, ActionSpec more) {
        List<ActionSpec> all = new ArrayList<>(list);
        all.add(more);
        return all;
    }


    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread t) {
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
