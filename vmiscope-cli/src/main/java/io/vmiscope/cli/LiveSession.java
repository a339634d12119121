package io.vmiscope.cli;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.ControlEvent;
import io.vmiscope.events.Event;
import io.vmiscope.events.ProcessFilter;
import io.vmiscope.monitor.Action;
import io.vmiscope.monitor.CostSummary;
import io.vmiscope.monitor.Monitor;
import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.HookRates;
import io.vmiscope.overhead.SlowdownPredictor;
import io.vmiscope.overhead.budget.Budget;
import io.vmiscope.overhead.budget.BuiltActions;
import io.vmiscope.overhead.budget.DutyCycles;
import io.vmiscope.overhead.budget.Plan;
import io.vmiscope.overhead.budget.Planner;
import io.vmiscope.overhead.budget.ProcessLifetimes;
import io.vmiscope.overhead.budget.Variant;
import io.vmiscope.overhead.model.OverheadModel;
import io.vmiscope.web.live.ActionPreview;
import io.vmiscope.web.live.ActionStatus;
import io.vmiscope.web.live.ActionTemplate;
import io.vmiscope.web.live.LivePrediction;
import io.vmiscope.web.live.LiveVm;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A VM monitored live as the UI controls it: the running monitor's actions and costs, a budget, cost
 * previews of on-demand actions (the overhead model where fitted, else the stopped time measured in the
 * counting pass at start) and time-boxed or one-shot actions. Hook rates start from the counting pass and
 * follow what the running actions see, once a second.
 *
 * <p>Actions are named by their {@link ActionSpec}, optionally restricted to one process (the trace-process
 * template), whose text is the action's id.
 */
final class LiveSession implements LiveVm, AutoCloseable {

    /** What the UI offers, on a process or on the VM. */
    static final List<ActionTemplate> TEMPLATES = List.of(
            new ActionTemplate("trace-process", "Trace this process's system calls (file, network, process)", true),
            new ActionTemplate("pslist-now", "List processes now (one snapshot)", false),
            new ActionTemplate("modules-now", "List kernel modules now (one snapshot)", false),
            new ActionTemplate("network", "Trace network activity of every process", false));

    /** What a one-shot template starts: a snapshot whose period is long enough that it is stopped after its first run. */
    private static final Duration ONCE_PERIOD = Duration.ofMinutes(10);
    /** How long the measured slowdown averages over. */
    private static final int WINDOW_SECONDS = 5;

    private final String name;
    private final Monitor monitor;
    private final BuiltActions built;
    private final SlowdownPredictor predictor;
    private final String basis;
    private final int vcpus;
    private final Consumer<String> actionsChanged;
    private final LiveBudgetGuard guard;
    private final BiConsumer<String, String> stoppedForBudget;
    /** The on-demand actions started from the UI, newest last: the guard stops the newest first. */
    private final Deque<String> onDemand = new ConcurrentLinkedDeque<>();
    private final Map<String, Double> rates = new ConcurrentHashMap<>();
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    /** The spec of every action started, by id. */
    private final Map<String, ActionSpec> specs = new ConcurrentHashMap<>();
    private final Set<String> oneShots = ConcurrentHashMap.newKeySet();
    private final Map<String, ScheduledFuture<?>> dutyCycles = new ConcurrentHashMap<>();
    private final Deque<long[]> samples = new ArrayDeque<>();
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vmiscope-live-session");
        t.setDaemon(true);
        return t;
    });
    private volatile Budget budget;
    private volatile boolean monitoring = true;
    private Map<String, Long> lastStops = Map.of();

    /**
     * @param probe          the counting pass over the templates' actions, run before the monitor's loop
     * @param model          the fitted overhead model, if any
     * @param actionsChanged told (with the VM's name) when actions start or stop on their own
     */
    LiveSession(String name, Monitor monitor, BuiltActions built, HookRateProbe.Result probe,
                Optional<OverheadModel> model, int vcpus, Budget budget, LiveBudgetGuard guard,
                Consumer<String> actionsChanged, BiConsumer<String, String> stoppedForBudget) {
        this.name = name;
        this.monitor = monitor;
        this.built = built;
        this.predictor = BudgetPlanning.predictor(probe, model);
        this.basis = model.map(m -> "overhead model for " + String.join(", ", m.knownActions()) + "; other actions: ")
                .orElse("") + "VM-stopped time per hook hit measured at start × the hook rates seen (under TCG each "
                + "stop also costs a re-translation this does not include)";
        this.vcpus = vcpus;
        this.budget = budget;
        this.actionsChanged = actionsChanged;
        this.guard = guard;
        this.stoppedForBudget = stoppedForBudget;
        probe.rates().stopsPerOp().forEach(rates::put);
        clock.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    /** The actions for the templates, for the counting pass at start. */
    static List<ActionSpec> probedSpecs() {
        return Stream.of("syscalls:file,network,process", "network", "procevents", "pslist:1s", "modules:1s")
                .map(ActionSpec::parse).toList();
    }

    /**
     * Sees every live event: a one-shot snapshot is stopped after its first, and the browsers hear when the
     * monitor has applied a start or stop (it does so at its next pause, after the request returned).
     */
    void seen(Event event) {
        if (event instanceof ControlEvent) {
            actionsChanged.accept(name);
        } else if (oneShots.remove(event.action())) {
            stop(event.action());
        }
    }

    /** The monitor ended: nothing runs any more. */
    void ended() {
        monitoring = false;
        close();
    }

    /** Records an action started by the command itself (its default actions). */
    void started(ActionSpec spec) {
        String id = built.action(spec).id();
        specs.put(id, spec);
        started.put(id, System.nanoTime());
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
        Set<String> running = running();
        long now = System.nanoTime();
        List<ActionStatus> all = new ArrayList<>();
        for (CostSummary c : monitor.costs()) {
            Long since = started.get(c.action());
            Double fraction = since == null || now <= since ? null : Math.min(1.0, c.stoppedNanos() / (double) (now - since));
            all.add(new ActionStatus(c.action(), monitoring && running.contains(c.action()), c.hits(), c.events(),
                    c.periodicRuns(), c.stoppedNanos(), fraction, c.stoppedMedianNanos(), c.stoppedP99Nanos()));
        }
        return all;
    }

    /** The slowdown the VM-stopped share of the last seconds means (a lower bound under TCG). */
    @Override
    public OptionalDouble slowdown() {
        return guard.estimate();
    }

    @Override
    public Optional<Budget> budget() {
        return Optional.of(budget);
    }

    @Override
    public void budget(Budget budget) {
        this.budget = budget;
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
        List<ActionSpec> running = specsOf(running());
        LivePrediction together = predict(concat(running, spec));
        double used = running.isEmpty() ? 0 : predict(running).prediction().slowdown();
        Budget current = budget;
        List<String> notes = new ArrayList<>();
        if (!running.isEmpty()) {
            notes.add("running actions are predicted at " + percent(used) + " of the budget's " + percent(current.maxSlowdown()));
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
            Plan plan = new Planner(predictor, built, ProcessLifetimes.UNKNOWN,
                    DutyCycles.DEFAULT_PERIOD).plan(List.of(spec), hookRates(), vcpus, new Budget(left));
            for (Plan.Option option : plan.options()) {
                Variant v = option.variants().get(0);
                if (!v.runs()) {
                    continue;
                }
                boolean boxed = !v.duty().off().isZero();
                variants.add(new ActionPreview.Variant(v.spec(), v.label(), option.coverage(),
                        new LivePrediction(concat(running, v.spec()), option.prediction(), basis + "; plus running actions"),
                        boxed ? v.duty().on().toMillis() : null, boxed ? v.duty().off().toMillis() : null));
            }
        }
        return new ActionPreview(template, spec, t.label(), together, current.maxSlowdown(), fits, notes, variants);
    }

    @Override
    public LivePrediction predict(List<ActionSpec> predicted) {
        List<ActionProfile> profiles = predicted.stream().map(built::profile).toList();
        return new LivePrediction(predicted, predictor.predict(profiles, hookRates(), vcpus), basis);
    }

    @Override
    public String start(ActionSpec spec, Duration on, Duration off) {
        if (!monitoring) {
            throw new IllegalArgumentException("the monitor of " + name + " has ended");
        }
        Action action = built.action(spec);
        String id = action.id();
        specs.put(id, spec);
        if (oneShot(spec)) {
            oneShots.add(id);
        }
        started.putIfAbsent(id, System.nanoTime());
        onDemand.remove(id);
        onDemand.addLast(id);
        if (on == null) {
            monitor.start(action);
        } else {
            long period = on.plus(off).toMillis();
            dutyCycles.put(id, clock.scheduleAtFixedRate(() -> {
                monitor.start(action);
                clock.schedule(() -> monitor.stop(id), on.toMillis(), TimeUnit.MILLISECONDS);
            }, 0, period, TimeUnit.MILLISECONDS));
        }
        return id;
    }

    @Override
    public void stop(String actionId) {
        ScheduledFuture<?> cycle = dutyCycles.remove(actionId);
        if (cycle != null) {
            cycle.cancel(false);
        }
        oneShots.remove(actionId);
        onDemand.remove(actionId);
        monitor.stop(actionId);
    }

    @Override
    public void close() {
        dutyCycles.values().forEach(f -> f.cancel(false));
        dutyCycles.clear();
        clock.shutdownNow();
    }

    /** Whether starting {@code spec} takes one snapshot: what the one-shot templates start. */
    private static boolean oneShot(ActionSpec spec) {
        return spec.equals(new ActionSpec.ProcessList(ONCE_PERIOD, true))
                || spec.equals(new ActionSpec.ModuleList(ONCE_PERIOD));
    }

    /** Once a second: stopped time so far, and each hooked site's rate over the last second. */
    private void sample() {
        long now = System.nanoTime();
        long stopped = monitor.costs().stream().mapToLong(CostSummary::stoppedNanos).sum();
        synchronized (samples) {
            long[] previous = samples.peekLast();
            samples.addLast(new long[]{now, stopped});
            while (samples.size() > WINDOW_SECONDS + 1) {
                samples.removeFirst();
            }
            Map<String, Long> stops = monitor.stopsBySite();
            if (previous != null) {
                double progress = Math.max(0.1, (now - previous[0] - (stopped - previous[1])) / 1e9);
                Set<String> hooked = new LinkedHashSet<>();
                specsOf(monitor.running()).forEach(spec -> hooked.addAll(built.profile(spec).sites()));
                for (String site : hooked) {
                    long delta = stops.getOrDefault(site, 0L) - lastStops.getOrDefault(site, 0L);
                    rates.put(site, delta / progress);
                }
            }
            lastStops = new HashMap<>(stops);
            long[] first = samples.peekFirst();
            double stoppedShare = first == null || now <= first[0] ? 0 : (stopped - first[1]) / (double) (now - first[0]);
            guardBudget(stoppedShare);
        }
    }

    /** Stops the newest on-demand action when the VM has been over its budget for a few seconds. */
    private void guardBudget(double stoppedShare) {
        if (!guard.overBudgetAfter(stoppedShare, budget) || onDemand.isEmpty()) {
            return;
        }
        String newest = onDemand.peekLast();
        stop(newest);
        stoppedForBudget.accept(newest, String.format(Locale.ROOT, "VM stopped %.1f%% of the time, over budget %s for "
                + "%d s: stopped the newest on-demand action", 100 * stoppedShare, budget, LiveBudgetGuard.OVER_SECONDS));
    }

    /** Ids of the actions running: the monitor's, and the duty-cycled ones also while they pause. */
    private Set<String> running() {
        Set<String> running = new LinkedHashSet<>(monitor.running());
        running.addAll(dutyCycles.keySet());
        return running;
    }

    /** The specs the actions with these ids were started from (every action here is started from one). */
    private List<ActionSpec> specsOf(Collection<String> ids) {
        return ids.stream().map(specs::get).filter(Objects::nonNull).toList();
    }

    private HookRates hookRates() {
        return new HookRates(name, 1.0, Map.copyOf(rates));
    }

    private static List<ActionSpec> concat(List<ActionSpec> a, ActionSpec b) {
        List<ActionSpec> all = new ArrayList<>(a);
        all.add(b);
        return all;
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }
}
