package io.vmiscope.overhead.budget;

import io.vmiscope.events.ActionSpec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One requested action under the {@link BudgetController}: the step of its {@link Ladder} it is at,
 * whether it runs right now (its duty cycle), and what it was measured to cost. Confined to the
 * controller's thread.
 *
 * <p>Costs are kept as <em>loss fractions</em>: the share of wall time the guest loses while the
 * action is on (stopped time plus the stop penalty; for a periodic action, its walk time per period).
 * The <em>calibration</em> is measured over predicted loss at the current step: it follows the load
 * (the predictions are made at the planning rates). Another step is estimated as its prediction times
 * the calibration — and, when its form (spec) and the current one have both been measured around a move
 * between them, times their measured ratio as well: a form that proved costlier than predicted is not
 * restored until the load has dropped enough to pay for it. The same form at another duty cycle costs
 * the same while on.
 */
final class ControlledAction {

    /** How quickly measurements replace older ones: the weight of the newest interval. */
    static final double SMOOTHING = 0.5;

    private final Ladder ladder;
    /** [X, Y] → calibration of form X over form Y's, measured around a move between them */
    private final Map<List<ActionSpec>, Double> ratios = new HashMap<>();
    private int step;
    private long stepSinceNanos;
    private long cycleStartNanos;
    private ActionSpec runningSpec;
    private long runningSinceNanos;
    private long onNanos;
    private double measuredLoss = Double.NaN;
    private double calibration = 1;
    /** The form whose measurement gave {@link #calibration}; null before the first. */
    private ActionSpec calibrationSpec;
    private int quietIntervalsNeeded;
    private long restoredAtInterval = Long.MIN_VALUE / 2;

    ControlledAction(Ladder ladder, int step, int quietIntervalsNeeded) {
        this.ladder = ladder;
        this.step = step;
        this.quietIntervalsNeeded = quietIntervalsNeeded;
    }

    Ladder ladder() {
        return ladder;
    }

    int step() {
        return step;
    }

    Ladder.Level level() {
        return ladder.level(step);
    }

    /** The requested action's id: the name decisions about it go by. */
    String name() {
        return ladder.request().profile().id();
    }

    /** Whether the current step has held since {@code nanos}. */
    boolean steadySince(long nanos) {
        return stepSinceNanos <= nanos;
    }

    /**
     * Whether the current step's cost is known: measured; or the same action as the step measured
     * before it, at another duty (its cost scales by the duty); or given up on after a full cycle of it
     * and {@code graceNanos} more (an action that never runs long enough to be measured).
     */
    boolean settled(long now, long graceNanos) {
        Variant variant = level().variant();
        if (!Double.isNaN(measuredLoss) || !variant.runs()) {
            return true;
        }
        if (variant.spec().equals(calibrationSpec)) {
            return true;
        }
        long cycle = variant.profile().periodic() ? variant.profile().period().toNanos()
                : variant.duty().off().isZero() ? 0 : variant.duty().period().toNanos();
        return now - stepSinceNanos > cycle + graceNanos;
    }

    /**
     * Moves to an adjacent step. A degraded action begins its new duty cycle with the rest, for relief
     * at once; a restored one with its run.
     */
    void moveTo(int newStep, long now, SharedActions monitor) {
        boolean degrading = newStep > step;
        step = newStep;
        stepSinceNanos = now;
        measuredLoss = Double.NaN;
        DutyCycle duty = level().variant().duty();
        cycleStartNanos = degrading ? now - duty.on().toNanos() : now;
        follow(now, monitor);
    }

    /** Starts the cycle at the current step (at {@code now}, with its run). */
    void begin(long now, SharedActions monitor) {
        stepSinceNanos = now;
        cycleStartNanos = now;
        follow(now, monitor);
    }

    /** Starts or stops the action so that it follows its current step's duty cycle at {@code now}. */
    void follow(long now, SharedActions monitor) {
        Variant variant = level().variant();
        boolean wanted = variant.runs() && variant.duty().isOn(now - cycleStartNanos);
        if (runningSpec != null && (!wanted || !runningSpec.equals(variant.spec()))) {
            monitor.stop(runningSpec);
            onNanos += now - runningSinceNanos;
            runningSpec = null;
        }
        if (wanted && runningSpec == null) {
            monitor.start(variant.spec());
            runningSpec = variant.spec();
            runningSinceNanos = now;
        }
    }

    /** Stops it for good: it leaves the controller. */
    void end(long now, SharedActions monitor) {
        if (runningSpec != null) {
            monitor.stop(runningSpec);
            onNanos += now - runningSinceNanos;
            runningSpec = null;
        }
    }

    /** Nanoseconds it ran since the previous call. */
    long takeOnNanos(long now) {
        if (runningSpec != null) {
            onNanos += now - runningSinceNanos;
            runningSinceNanos = now;
        }
        long on = onNanos;
        onNanos = 0;
        return on;
    }

    /** A measured loss fraction while on, at the current step. */
    void observeLoss(double lossWhileOn) {
        boolean first = Double.isNaN(measuredLoss);
        measuredLoss = first ? lossWhileOn : measuredLoss + SMOOTHING * (lossWhileOn - measuredLoss);
        double predicted = predictedLoss(step);
        if (predicted <= 0) {
            return;
        }
        double before = calibration;
        ActionSpec beforeSpec = calibrationSpec;
        ActionSpec spec = level().variant().spec();
        calibration = measuredLoss / predicted;
        calibrationSpec = spec;
        if (first && beforeSpec != null && !beforeSpec.equals(spec) && before > 0 && calibration > 0) {
            ratios.put(List.of(beforeSpec, spec), before / calibration);
            ratios.put(List.of(spec, beforeSpec), calibration / before);
        }
    }

    /** Whether the current step's cost has been measured (a stopped action costs nothing, known). */
    boolean measured() {
        return !Double.isNaN(measuredLoss) || !level().variant().runs();
    }

    /** A periodic action's measured VM-stopped seconds per run, at the current step. */
    void observeRun(double secondsPerRun) {
        observeLoss(Math.min(1, secondsPerRun / (level().variant().profile().period().toNanos() / 1e9)));
    }

    /** The loss fraction over time at the current step: measured if it has been, else estimated. */
    double expectedLoss() {
        return expectedLoss(step);
    }

    /** The loss fraction over time at {@code at}: duty × loss while on. */
    double expectedLoss(int at) {
        Variant variant = ladder.level(at).variant();
        if (!variant.runs()) {
            return 0;
        }
        double whileOn;
        if (at == step && !Double.isNaN(measuredLoss)) {
            whileOn = measuredLoss;
        } else {
            double ratio = calibrationSpec == null ? 1.0 : ratios.getOrDefault(List.of(variant.spec(), calibrationSpec), 1.0);
            whileOn = predictedLoss(at) * calibration * ratio;
        }
        return variant.duty().fraction() * whileOn;
    }

    /** The model's loss fraction while on: slowdown S means 1 − 1/(1+S) of the wall time is lost. */
    private double predictedLoss(int at) {
        double s = ladder.level(at).whileOn().slowdown();
        return s / (1 + s);
    }

    /** Whether a restore of this action was undone within {@code intervals} of {@code interval}. */
    boolean restoredWithin(long interval, long intervals) {
        return interval - restoredAtInterval <= intervals;
    }

    void restoredAt(long interval) {
        restoredAtInterval = interval;
    }

    int quietIntervalsNeeded() {
        return quietIntervalsNeeded;
    }

    /** After a restore that did not hold: wait twice as long before the next, up to {@code most}. */
    void backOff(int most) {
        quietIntervalsNeeded = Math.min(most, quietIntervalsNeeded * 2);
    }
}
