package io.vmiscope.overhead.model;

import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.HookRates;
import io.vmiscope.overhead.Prediction;
import io.vmiscope.overhead.SlowdownPredictor;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fitted overhead model: measured costs ({@link Calibration}) plus fitted invisible ones
 * ({@link FittedCosts}), combined mechanically. For a combination on a workload with unmonitored stop
 * rate {@code r_s} at each hooked site {@code s}, {@code R = Σ r_s} over the union of sites (a shared
 * site stops once) and {@code v} vCPUs:
 *
 * <pre>
 *   per stop   c(v)  = base(v) + retranslation_w × curve.share(1/R) + extraPerVcpu × (v − 1)
 *   hooks      H     = Σ_s r_s × (c(v) + Σ_{a hooks s} (own_a + extra_a))
 *                      + queueFactor × R × Σ_{unpaused periodic a} d_a² / (2 P_a)
 *   pauses     φ     = Σ_{periodic a} (d_a + extraRun_a) / P_a
 *   slowdown   1 + S = (1 + H) / (1 − φ)
 * </pre>
 *
 * {@code retranslation_w} is the workload's own when the fit had one for it, else the common one.
 * H is guest time lost to stops per second of guest progress; a paused VM makes no progress at all,
 * hence the division. Each action's share splits shared per-stop costs evenly between the actions
 * hooking a site and the pause factor in proportion to each action's pauses. Immutable and
 * thread-safe; {@link ModelFile} keeps it on disk.
 *
 * @param formatVersion the file format, {@link #FORMAT_VERSION}
 * @param calibration   costs measured by the monitor
 * @param fitted        costs fitted on slowdowns
 * @param interval      the relative prediction interval
 * @param training      what the model was fitted on, and how well it fits there
 * @param validation    how it did on held-out combinations; {@code null} until validated
 */
public record OverheadModel(int formatVersion, Calibration calibration, FittedCosts fitted, PredictionInterval interval,
                            TrainingSummary training, ValidationSummary validation) implements SlowdownPredictor {

    /** The version {@link ModelFile} writes and accepts. */
    public static final int FORMAT_VERSION = 3;

    /** The same model with validation figures attached. */
    public OverheadModel withValidation(ValidationSummary summary) {
        return new OverheadModel(formatVersion, calibration, fitted, interval, training, summary);
    }

    /** The action ids the model was fitted on; it predicts combinations of these only. */
    public Set<String> knownActions() {
        Set<String> known = new TreeSet<>(fitted.extraSecondsPerHit().keySet());
        known.addAll(fitted.extraSecondsPerRun().keySet());
        return known;
    }

    /**
     * The id the model knows {@code action} by: its own when fitted on it; for a periodic action at
     * another period, a fitted one of the same {@link ActionProfile#periodicKind() kind} (a walk costs the
     * same, the action's own period says how often it runs); empty when neither.
     */
    public Optional<String> fittedId(ActionProfile action) {
        if (knownActions().contains(action.id())) {
            return Optional.of(action.id());
        }
        if (!action.periodic() || !action.sites().isEmpty()) {
            return Optional.empty();
        }
        return fitted.extraSecondsPerRun().keySet().stream()
                .filter(id -> ActionProfile.periodicKind(id).equals(action.periodicKind())).findFirst();
    }

    /**
     * {@inheritDoc}
     *
     * <p>The slowdown is infinite when the periodic actions alone would keep the VM paused all the time.
     *
     * @throws IllegalArgumentException for an action the model cannot predict ({@link #fittedId}), or a vCPU count below 1
     */
    @Override
    public Prediction predict(List<ActionProfile> actions, HookRates rates, int vcpus) {
        if (vcpus < 1) {
            throw new IllegalArgumentException("a VM has at least 1 vCPU, got " + vcpus);
        }
        Map<String, String> fittedIds = new TreeMap<>();
        for (ActionProfile action : actions) {
            fittedIds.put(action.id(), fittedId(action).orElseThrow(() -> new IllegalArgumentException(
                    "the model was not fitted on action " + action.id() + " (it knows "
                            + String.join(", ", knownActions()) + ")")));
        }
        CombinationLoad load = CombinationLoad.of(actions, rates);
        double perStop = calibration.baseStopSeconds(vcpus)
                + fitted.retranslationSecondsPerStop(rates.workload(), load.secondsBetweenStops())
                + fitted.extraSecondsPerStopPerVcpu() * (vcpus - 1);
        Set<String> unpaused = load.unpausedPeriodic();
        Map<String, Double> hookShare = new TreeMap<>();
        Map<String, Double> pausedFraction = new TreeMap<>();
        double hooks = 0;
        double paused = 0;
        for (ActionProfile action : actions) {
            String id = action.id();
            String fittedId = fittedIds.get(id);
            double lost = load.sharedStopsPerSecond().get(id) * perStop
                    + load.hitsPerSecond().get(id) * (calibration.ownSecondsPerHit(fittedId) + fitted.extraSecondsPerHit(fittedId))
                    + (action.sites().isEmpty() ? 0 : fitted.armedSlowdown(fittedId, rates.workload()));
            double runs = load.runsPerSecond().getOrDefault(id, 0.0);
            double runSeconds = calibration.stoppedSecondsPerRun(fittedId);
            if (unpaused.contains(id)) {
                lost += fitted.queueFactor() * load.stopsPerSecond() * runs * runSeconds * runSeconds / 2;
            }
            double fraction = runs * (runSeconds + fitted.extraSecondsPerRun(fittedId));
            hookShare.put(id, lost);
            pausedFraction.put(id, fraction);
            hooks += lost;
            paused += fraction;
        }
        if (paused >= 1) {
            Map<String, Double> shares = new TreeMap<>();
            pausedFraction.forEach((id, f) -> shares.put(id, f > 0 ? Double.POSITIVE_INFINITY : hookShare.get(id)));
            return new Prediction(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, shares);
        }
        double slowdown = (1 + hooks) / (1 - paused) - 1;
        double pauseFactor = (1 + hooks) / (1 - paused);
        Map<String, Double> shares = new TreeMap<>();
        hookShare.forEach((id, lost) -> shares.put(id, lost + pauseFactor * pausedFraction.get(id)));
        return new Prediction(slowdown, slowdown * interval.lowFactor(), slowdown * interval.highFactor(), shares);
    }
}
