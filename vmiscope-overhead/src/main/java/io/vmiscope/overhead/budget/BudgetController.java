package io.vmiscope.overhead.budget;

import io.vmiscope.events.ControlEvent;
import io.vmiscope.events.EventSink;
import io.vmiscope.events.ProcessRef;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Keeps a running monitor inside its budget: a feedback loop that measures the VM's slowdown every
 * control interval and degrades or restores the actions one step of their {@link Ladder}s at a time.
 *
 * <pre>
 *   every interval:  costs since last ──▶ each action's loss while on (stopped time + stops × penalty)
 *                    estimate S = F / (1 − F),  F = Σ duty × loss   (max with the workload probe, if any)
 *                    S > budget                      ──▶ degrade the costliest action to its first step estimated to fit
 *                    S < 0.7 × budget for k intervals ──▶ restore one step, if its estimate fits
 *   between:         start and stop actions to follow their duty cycles
 * </pre>
 *
 * <p><b>Estimate.</b> The guest loses what the VM is stopped plus, per stop, the model's penalty
 * ({@link StopPenalty}: under TCG, re-translation the monitor cannot see). The estimate is the average
 * over each action's duty cycle, not the last interval's spike: an action measured while on is
 * counted at its duty fraction. With a {@link WorkloadProbe}, the probe's mean over the last window
 * is taken when it is larger — it sees everything, while the stopped time is only a lower bound.
 *
 * <p>What the probe sees beyond the stopped time and penalties is charged to the hooking actions that were
 * on (under TCG: breakpoints cost merely by being inserted), so their calibrations carry it.
 *
 * <p><b>Hysteresis.</b> Degrading happens at once: the most expensive action first, straight to its first
 * step estimated to fit — but an action only once its current step's cost is known
 * ({@link ControlledAction#settled}).
 * Restoring needs the estimate below {@code restoreFraction × budget} for
 * {@code restoreAfterIntervals} intervals in a row <em>and</em> the restored step's own estimate inside
 * the budget: its prediction calibrated by what was measured, including what that step itself cost
 * when it last ran ({@link ControlledAction}). The action whose step buys the most coverage per added
 * slowdown goes first. A restore undone within twice its waiting time doubles that action's wait (up
 * to {@value #MOST_QUIET_INTERVALS} intervals), so a steady load settles instead of swinging between
 * two steps.
 *
 * <p>Every decision is a {@link ControlEvent} ({@code planned}, {@code degraded}, {@code restored})
 * with its reason; closing adds one {@code measured} event with the stopped-time fraction and estimate
 * over the last window and the whole session.
 *
 * <p><b>Requests come and go.</b> A live session adds an action asked for while the loop runs
 * ({@link #add}: from the browser, or a detection's follow-up) and removes one ({@link #remove}); from then
 * on it is degraded and restored like the others. {@link #estimate()} is the figure a user steers by: the
 * estimate with what it rests on, a lower bound when it rests on the VM-stopped time alone.
 *
 * <p>Threading: {@link #start} runs the loop on its own thread; {@link #close} ends it. Tests drive it
 * with {@link #begin} and {@link #advance} on their own clock instead. {@link #add}, {@link #remove},
 * {@link #estimate()} and {@link #current()} may be called from any thread. Closing leaves the actions as
 * they are: the monitor's end removes them.
 */
public final class BudgetController implements AutoCloseable {

    /** Longest wait for a restore after repeated failed restores. */
    static final int MOST_QUIET_INTERVALS = 32;
    /** How often the loop looks at the duty cycles between control intervals. */
    static final Duration POLL = Duration.ofMillis(50);
    /** An interval in which a hooking action ran less than this share is not a measurement of it. */
    static final double LEAST_ON_SHARE = 0.2;
    /** Probe readings since the last move before the probe counts: one reading of a batch workload is noise. */
    static final int LEAST_PROBE_READINGS = 2;
    /** Measured intervals kept for the window figures. */
    private static final int HISTORY = 600;

    /**
     * @param interval              time between two measurements and decisions
     * @param restoreFraction       restores are considered below this share of the budget, in (0, 1)
     * @param restoreAfterIntervals intervals in a row below it before the first restore
     */
    public record Settings(Duration interval, double restoreFraction, int restoreAfterIntervals) {

        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(1), 0.7, 3);

        public Settings {
            if (interval.toMillis() < 100) {
                throw new IllegalArgumentException("the control interval must be at least 100 ms, was "
                        + interval.toMillis() + " ms");
            }
            if (!(restoreFraction > 0 && restoreFraction < 1)) {
                throw new IllegalArgumentException("the restore fraction must be in (0, 1), was " + restoreFraction);
            }
            if (restoreAfterIntervals < 1) {
                throw new IllegalArgumentException("restores need at least 1 quiet interval, was " + restoreAfterIntervals);
            }
        }
    }

    /**
     * The controller's estimate of the VM's slowdown and what it rests on.
     *
     * @param slowdown   0.10 for 10%
     * @param basis      one line, e.g. {@code "VM-stopped time, the model's per-stop cost, probe: …"}
     * @param lowerBound true when it rests on the VM-stopped time alone: under TCG the guest loses more
     */
    public record Estimate(double slowdown, String basis, boolean lowerBound) {
    }

    /** One measured interval: wall time, VM-stopped time, the stop penalty on top, and hooking actions' time on. */
    private record Measured(long wallNanos, long stoppedNanos, double penaltyNanos, long hookedOnNanos) {
    }

    private final String vm;
    private volatile Budget budget;
    private final Plan plan;
    private final List<ControlledAction> actions = new ArrayList<>();
    private final SharedActions monitor;
    private final CostDeltas deltas;
    /** The penalties of every plan run so far; a site takes the largest. */
    private final List<StopPenalty> penalties = new ArrayList<>();
    private final WorkloadProbe probe;
    private final EventSink events;
    private final Settings settings;
    private final LongSupplier clock;
    private final long epochBaseNanos = System.currentTimeMillis() * 1_000_000L;
    private final long clockBaseNanos;
    private final Deque<Measured> history = new ArrayDeque<>();
    private final Deque<Double> probeReadings = new ArrayDeque<>();
    private long sessionWallNanos;
    private long sessionStoppedNanos;
    private double sessionPenaltyNanos;
    private long lastTickNanos;
    private long intervals;
    private int quietIntervals;
    private int degrades;
    private int restores;
    private volatile boolean ending;
    private Thread loop;
    private volatile Estimate latest;

    /**
     * @param vm      the VM's name, written into the events
     * @param plan    the plan to run: its ladders, starting at its best option (the request when it fits)
     * @param monitor the running monitor the actions start and stop in
     * @param penalty guest time per stop beyond the stopped time ({@link StopPenalty#NONE} for none)
     * @param probe   the workload's own measurement ({@link WorkloadProbe#NONE} for none)
     * @param events  where decisions go; called from the controller's thread, beside the monitor's
     * @param clock   monotonic nanoseconds ({@code System::nanoTime})
     * @throws IllegalArgumentException when the plan has no option that fits
     */
    public BudgetController(String vm, Plan plan, MonitorControl monitor, StopPenalty penalty, WorkloadProbe probe,
                            EventSink events, Settings settings, LongSupplier clock) {
        Plan.Option start = plan.best().orElseThrow(() -> new IllegalArgumentException(
                "nothing of the request fits a budget of " + plan.budget()));
        this.vm = vm;
        this.budget = plan.budget();
        this.plan = plan;
        this.monitor = new SharedActions(monitor);
        this.deltas = new CostDeltas(monitor);
        this.penalties.add(penalty);
        this.probe = probe;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
        this.clockBaseNanos = clock.getAsLong();
        for (int i = 0; i < plan.ladders().size(); i++) {
            Ladder ladder = plan.ladders().get(i);
            actions.add(new ControlledAction(ladder, ladder.indexOf(start.levels().get(i)),
                    settings.restoreAfterIntervals()));
        }
    }

    /** Begins and runs the loop on its own thread until {@link #close}. */
    public void start() {
        begin(clock.getAsLong());
        loop = new Thread(() -> {
            while (!ending) {
                advance(clock.getAsLong());
                LockSupport.parkNanos(POLL.toNanos());
            }
        }, "vmiscope-budget");
        loop.setDaemon(true);
        loop.start();
    }

    /**
     * Starts every action at its planned step and records the plan's decision for each. What the probe saw
     * before (the counting pass, the planning) is dropped: it is not the plan's doing.
     */
    public synchronized void begin(long now) {
        probe.slowdownSinceLastCall();
        deltas.next();
        lastTickNanos = now;
        Plan.Option start = plan.best().orElseThrow();
        for (ControlledAction a : actions) {
            a.begin(now, monitor);
            Variant chosen = a.level().variant();
            String reason = plan.requestFits()
                    ? "planned: the request is predicted at " + Plan.range(plan.requested()) + ", within budget " + budget
                    : "planned: the request is predicted at " + Plan.range(plan.requested()) + ", over budget " + budget
                    + " at its upper end; starts " + chosen.label() + changeOf(chosen) + ", the whole plan "
                    + "predicted at " + Plan.range(start.prediction()) + ", keeping " + Percent.of(start.coverage())
                    + " of the requested events";
            record(now, a.name(), a.step() == 0 ? "planned" : "degraded", reason);
        }
    }

    /** One turn of the loop: duty cycles followed, and a measurement and decision when an interval is due. */
    public synchronized void advance(long now) {
        for (ControlledAction a : actions) {
            a.follow(now, monitor);
        }
        if (now - lastTickNanos >= settings.interval().toNanos()) {
            tick(now);
        }
    }

    /** The current step of each requested action, in request order. */
    public synchronized List<Variant> current() {
        return actions.stream().map(a -> a.level().variant()).toList();
    }

    private void tick(long now) {
        long wall = now - lastTickNanos;
        long intervalStart = lastTickNanos;
        lastTickNanos = now;
        intervals++;
        CostDeltas.Delta delta = deltas.next();
        Map<ControlledAction, Long> on = new HashMap<>();
        actions.forEach(a -> on.put(a, a.takeOnNanos(now)));
        Map<ControlledAction, Double> penaltyNanos = new HashMap<>();
        double penaltyTotal = 0;
        for (Map.Entry<String, Long> stops : delta.stopsBySite().entrySet()) {
            double nanos = stops.getValue() * penaltyAt(stops.getKey()) * 1e9;
            penaltyTotal += nanos;
            List<ControlledAction> hookers = actions.stream().filter(a -> on.get(a) > 0
                    && a.level().variant().profile().sites().contains(stops.getKey())).toList();
            hookers.forEach(a -> penaltyNanos.merge(a, nanos / hookers.size(), Double::sum));
        }
        long hookedOn = actions.stream().filter(a -> !a.level().variant().profile().periodic()).mapToLong(on::get).sum();
        remember(new Measured(wall, delta.totalStoppedNanos(), penaltyTotal, hookedOn));
        readProbe();
        double unseenWhileOn = unseenLossWhileOn();
        for (ControlledAction a : actions) {
            if (!a.steadySince(intervalStart)) {
                continue; // the interval mixes two steps: it measures neither
            }
            String id = monitor.id(a.level().variant().spec());
            // an action two requested ones run at once costs each half
            double share = 1.0 / Math.max(1, monitor.users(id));
            if (a.level().variant().profile().periodic()) {
                long runs = delta.periodicRuns(id);
                if (runs > 0) {
                    a.observeRun(share * delta.stoppedNanos(id) / 1e9 / runs);
                }
            } else if (on.get(a) >= LEAST_ON_SHARE * wall) {
                // may exceed 1: switching breakpoints in and out can cost the guest more than the time on
                a.observeLoss((share * delta.stoppedNanos(id) + penaltyNanos.getOrDefault(a, 0.0)) / on.get(a)
                        + unseenWhileOn);
            }
        }
        double estimate = currentEstimate();
        latest = describe(estimate, penaltyTotal > 0);
        decide(now, estimate);
    }

    /**
     * Adds requested actions while the loop runs: each starts at the step of {@code plan}'s best option
     * (as requested when nothing fits: a request a user insists on is degraded once measured).
     *
     * @param penalty guest time per stop of the plan's actions beyond their stopped time
     * @param reason  why it was asked for, e.g. {@code "started from the browser"}
     * @throws IllegalArgumentException when one of them is already under control
     */
    public synchronized void add(Plan plan, StopPenalty penalty, String reason) {
        Plan.Option start = plan.best().orElse(null);
        for (int i = 0; i < plan.ladders().size(); i++) {
            Ladder ladder = plan.ladders().get(i);
            add(ladder, start == null ? 0 : ladder.indexOf(start.levels().get(i)), penalty, reason);
        }
    }

    /**
     * Adds one requested action while the loop runs, starting at {@code step} of its ladder.
     *
     * @throws IllegalArgumentException when it is already under control, or the step is not on its ladder
     */
    public synchronized void add(Ladder ladder, int step, StopPenalty penalty, String reason) {
        String name = ladder.request().profile().id();
        if (actions.stream().anyMatch(a -> a.name().equals(name))) {
            throw new IllegalArgumentException("action '" + name + "' is already running");
        }
        if (step < 0 || step > ladder.bottom()) {
            throw new IllegalArgumentException("step " + step + " is not on the ladder of " + name);
        }
        long now = clock.getAsLong();
        ControlledAction a = new ControlledAction(ladder, step, settings.restoreAfterIntervals());
        actions.add(a);
        penalties.add(penalty);
        a.begin(now, monitor);
        probeReadings.clear(); // they describe the VM without it
        Variant chosen = a.level().variant();
        record(now, name, step == 0 ? "planned" : "degraded", reason + ": predicted at "
                + Plan.range(ladder.level(0).average()) + (step == 0 ? "" : "; starts " + chosen.label()
                + changeOf(chosen) + ", keeping " + Percent.of(chosen.coverage()) + " of the requested events"));
    }

    /**
     * Stops a requested action and takes it out of control; its costs stay.
     *
     * @return whether it was under control
     */
    public synchronized boolean remove(String name, String reason) {
        for (ControlledAction a : actions) {
            if (a.name().equals(name)) {
                long now = clock.getAsLong();
                a.end(now, monitor);
                actions.remove(a);
                probeReadings.clear();
                record(now, name, "stopped", reason);
                return true;
            }
        }
        return false;
    }

    /** The names (the requested actions' ids) of the actions under control, in the order they came. */
    public synchronized List<String> names() {
        return actions.stream().map(ControlledAction::name).toList();
    }

    /** The budget it keeps the VM in. */
    public Budget budget() {
        return budget;
    }

    /** A new budget, from the next interval on. */
    public void budget(Budget budget) {
        this.budget = budget;
    }

    /** The latest estimate of the VM's slowdown; empty before the first interval. */
    public Optional<Estimate> estimate() {
        return Optional.ofNullable(latest);
    }

    private Estimate describe(double estimate, boolean penalised) {
        List<String> parts = new ArrayList<>();
        parts.add("VM-stopped time");
        if (penalised) {
            parts.add("the model's per-stop cost");
        }
        boolean probed = probeReadings.size() >= LEAST_PROBE_READINGS;
        if (probed) {
            parts.add("probe: " + probe.describe());
        }
        String basis = String.join(" + ", parts) + (penalised || probed ? ""
                : " only (no model fitted for these actions" + (probe == WorkloadProbe.NONE ? ", no probe" : ", probe: "
                + probe.describe()) + "): under TCG the guest loses more");
        return new Estimate(estimate, basis, !penalised && !probed);
    }

    private double penaltyAt(String site) {
        double most = 0;
        for (StopPenalty p : penalties) {
            most = Math.max(most, p.secondsPerStop(site));
        }
        return most;
    }

    /** Keeps the probe's reading as a loss fraction: losses average over time, slowdowns do not. */
    private void readProbe() {
        OptionalDouble reading = probe.slowdownSinceLastCall();
        if (reading.isPresent()) {
            double slowdown = Math.max(0, reading.getAsDouble());
            probeReadings.addLast(slowdown / (1 + slowdown));
            while (probeReadings.size() > windowIntervals()) {
                probeReadings.removeFirst();
            }
        }
    }

    /**
     * What the workload probe saw the guest lose since the last move (over the window at most) beyond what
     * the monitor's counters explain (stopped time and stop penalties), per unit of time a hooking action
     * was on. Under TCG that is mostly what breakpoints cost merely by being inserted, and the re-translation
     * when they go in and out; it belongs to the actions that had breakpoints in. 0 without a probe.
     */
    private double unseenLossWhileOn() {
        int n = Math.min(probeReadings.size(), history.size());
        if (n < LEAST_PROBE_READINGS) {
            return 0;
        }
        double probedLoss = probedLoss();
        double wall = 0;
        double visible = 0;
        double hookedOn = 0;
        Iterator<Measured> newest = history.descendingIterator();
        for (int i = 0; i < n && newest.hasNext(); i++) {
            Measured m = newest.next();
            wall += m.wallNanos();
            visible += m.stoppedNanos() + m.penaltyNanos();
            hookedOn += m.hookedOnNanos();
        }
        if (hookedOn < LEAST_ON_SHARE * wall / n) {
            return 0;
        }
        return Math.max(0, probedLoss * wall - visible) / hookedOn;
    }

    private double currentEstimate() {
        double estimate = slowdown(actions.stream().mapToDouble(ControlledAction::expectedLoss).sum());
        if (probeReadings.size() >= LEAST_PROBE_READINGS) {
            estimate = Math.max(estimate, slowdown(probedLoss()));
        }
        return estimate;
    }

    /** The probe's mean loss since the last move. */
    private double probedLoss() {
        return probeReadings.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    private void decide(long now, double estimate) {
        if (estimate > budget.maxSlowdown()) {
            quietIntervals = 0;
            long grace = 2 * settings.interval().toNanos();
            actions.stream().filter(a -> a.step() < a.ladder().bottom() && a.settled(now, grace))
                    .max(Comparator.comparingDouble(ControlledAction::expectedLoss))
                    .ifPresent(a -> degrade(now, a, estimate));
            return;
        }
        if (estimate >= settings.restoreFraction() * budget.maxSlowdown()) {
            quietIntervals = 0;
            return;
        }
        quietIntervals++;
        double lost = actions.stream().mapToDouble(ControlledAction::expectedLoss).sum();
        ControlledAction best = null;
        double bestValue = Double.NEGATIVE_INFINITY;
        double bestAfter = 0;
        for (ControlledAction a : actions) {
            if (a.step() == 0 || !a.measured() || quietIntervals < a.quietIntervalsNeeded()) {
                continue;
            }
            double after = slowdown(lost - a.expectedLoss() + a.expectedLoss(a.step() - 1));
            double gained = a.ladder().level(a.step() - 1).variant().coverage() - a.level().variant().coverage();
            double value = gained / Math.max(after - estimate, 1e-9);
            if (after <= budget.maxSlowdown() && value > bestValue) {
                best = a;
                bestValue = value;
                bestAfter = after;
            }
        }
        if (best != null) {
            restore(now, best, estimate, bestAfter);
        }
    }

    private void degrade(long now, ControlledAction a, double estimate) {
        if (a.restoredWithin(intervals, 2L * a.quietIntervalsNeeded())) {
            a.backOff(MOST_QUIET_INTERVALS);
        }
        Variant from = a.level().variant();
        a.moveTo(fittingStep(a), now, monitor);
        probeReadings.clear(); // they describe the step before
        Variant to = a.level().variant();
        degrades++;
        record(now, a.name(), "degraded", "estimated slowdown " + Percent.of(estimate) + " > budget " + budget + ": "
                + from.label() + " → " + to.label() + changeOf(to) + ", its estimate " + Percent.of(slowdown(a.expectedLoss()))
                + ", keeps " + Percent.of(to.coverage()) + " of the requested events");
    }

    /**
     * Where {@code a} goes down to: the first lower step whose estimate, beside the other actions', fits
     * the budget, or the bottom. Estimates carry what was measured (the calibration, and the measured ratio
     * between forms, {@link ControlledAction}), so an action found many times costlier than predicted gets
     * relief at once, not one step a second.
     */
    private int fittingStep(ControlledAction a) {
        double others = actions.stream().filter(o -> o != a).mapToDouble(ControlledAction::expectedLoss).sum();
        for (int s = a.step() + 1; s < a.ladder().bottom(); s++) {
            if (slowdown(others + a.expectedLoss(s)) <= budget.maxSlowdown()) {
                return s;
            }
        }
        return a.ladder().bottom();
    }

    private void restore(long now, ControlledAction a, double estimate, double after) {
        Variant from = a.level().variant();
        a.moveTo(a.step() - 1, now, monitor);
        probeReadings.clear(); // they describe the step before
        a.restoredAt(intervals);
        quietIntervals = 0;
        restores++;
        Variant to = a.level().variant();
        record(now, a.name(), "restored", "estimated slowdown " + Percent.of(estimate) + " < "
                + Percent.of(settings.restoreFraction() * budget.maxSlowdown()) + " (" + Percent.of(settings.restoreFraction())
                + " of budget " + budget + ") for " + a.quietIntervalsNeeded() + " intervals: " + from.label() + " → "
                + to.label() + changeOf(to) + ", estimated " + Percent.of(after) + " after, keeps "
                + Percent.of(to.coverage()) + " of the requested events");
    }

    private void remember(Measured m) {
        history.addLast(m);
        while (history.size() > HISTORY) {
            history.removeFirst();
        }
        sessionWallNanos += m.wallNanos();
        sessionStoppedNanos += m.stoppedNanos();
        sessionPenaltyNanos += m.penaltyNanos();
    }

    /** The window the figures average over: a full duty cycle of every action, and at least 4 intervals. */
    private int windowIntervals() {
        long longest = actions.stream().mapToLong(a -> a.level().variant().duty().off().isZero() ? 0
                : a.level().variant().duty().period().toNanos()).max().orElse(0);
        long interval = settings.interval().toNanos();
        return (int) Math.max(4, (longest + interval - 1) / interval);
    }

    /** Ends the loop and records what was measured over the last window and the whole session. */
    @Override
    public void close() {
        ending = true;
        if (loop != null) {
            loop.interrupt();
            try {
                loop.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            recordMeasured();
        }
    }

    private void recordMeasured() {
        if (sessionWallNanos == 0) {
            return;
        }
        List<Measured> recent = new ArrayList<>(history);
        List<Measured> window = recent.subList(Math.max(0, recent.size() - windowIntervals()), recent.size());
        long wall = window.stream().mapToLong(Measured::wallNanos).sum();
        long stopped = window.stream().mapToLong(Measured::stoppedNanos).sum();
        double lost = window.stream().mapToDouble(Measured::penaltyNanos).sum() + stopped;
        record(clock.getAsLong(), "budget", "measured", String.format(Locale.ROOT,
                "last %.1f s: VM stopped %s, estimated slowdown %s; whole session %.1f s: VM stopped %s, "
                        + "estimated slowdown %s; budget %s; %d degraded, %d restored",
                wall / 1e9, Percent.of((double) stopped / wall), Percent.of(slowdown(lost / wall)),
                sessionWallNanos / 1e9, Percent.of((double) sessionStoppedNanos / sessionWallNanos),
                Percent.of(slowdown((sessionStoppedNanos + sessionPenaltyNanos) / sessionWallNanos)), budget,
                degrades, restores));
    }

    /** {@code " (without read)"}, or nothing for the request's own form. */
    private static String changeOf(Variant v) {
        return v.change().isEmpty() ? "" : " (" + v.change() + ")";
    }

    /** A lost share f of the wall time is a slowdown of f / (1 − f) (capped at f = 0.95). */
    private static double slowdown(double lostShare) {
        double f = Math.min(0.95, lostShare);
        return f / (1 - f);
    }

    private void record(long now, String action, String change, String reason) {
        events.accept(new ControlEvent(epochBaseNanos + (now - clockBaseNanos), vm, action, ProcessRef.NONE, change,
                reason));
    }
}
