package io.vmiscope.overhead.budget;

import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.HookRates;
import io.vmiscope.overhead.Prediction;
import io.vmiscope.overhead.SlowdownPredictor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A predictor from measured VM-stopped time alone, for when no fitted model is at hand: each stop at a
 * site costs the stopped time measured there, each periodic run the walk time measured for its kind.
 * With {@code H = Σ r_s × c_s} over the union of sites (a shared site stops once) and
 * {@code φ = Σ run_a / P_a}: {@code 1 + S = (1 + H) / (1 − φ)}.
 *
 * <p>It sees no cost the monitor cannot measure — under TCG not the re-translation after each stop
 * (docs/gdbstub.md) — so it predicts the stopped-time share of the slowdown, a lower bound of it.
 *
 * <p>Interval: the rates come from a counting pass of {@code probeSeconds}; a site counted {@code n}
 * times has a relative uncertainty of about {@code 1/√n} (Poisson), and the interval takes every rate
 * at ±2 of those. Run times are taken as exact (one walk varies little: docs/benchmarks.md). Sites and
 * kinds not measured cost {@link #DEFAULT_SECONDS_PER_STOP} and {@link #DEFAULT_SECONDS_PER_RUN}
 * (figures of {@code bench trace} and {@code bench ps} on the demo guest). Immutable.
 */
public final class StoppedTimePredictor implements SlowdownPredictor {

    /** A traced syscall's stop with argument decoding (bench trace: median 1.26 ms). */
    public static final double DEFAULT_SECONDS_PER_STOP = 0.0015;
    /** A paused process-list walk of ~50 processes (bench ps: 7 ms). */
    public static final double DEFAULT_SECONDS_PER_RUN = 0.010;

    private static final double Z = 2;

    private final Map<String, Double> secondsPerStop;
    private final Map<String, Double> secondsPerRun;
    private final double probeSeconds;

    /**
     * @param secondsPerStop stopped seconds per stop at each site
     * @param secondsPerRun  stopped seconds per periodic run by {@link ActionProfile#periodicKind()}
     * @param probeSeconds   how long the rates were counted
     */
    public StoppedTimePredictor(Map<String, Double> secondsPerStop, Map<String, Double> secondsPerRun,
                                double probeSeconds) {
        this.secondsPerStop = Map.copyOf(secondsPerStop);
        this.secondsPerRun = Map.copyOf(secondsPerRun);
        this.probeSeconds = probeSeconds;
        if (!(probeSeconds > 0)) {
            throw new IllegalArgumentException("the counting pass must have lasted, was " + probeSeconds + " s");
        }
    }

    @Override
    public Prediction predict(List<ActionProfile> actions, HookRates rates, int vcpus) {
        Map<String, Integer> sharers = new HashMap<>();
        actions.forEach(a -> a.sites().forEach(s -> sharers.merge(s, 1, Integer::sum)));
        Map<String, Double> own = new HashMap<>();
        double expected = slowdown(actions, rates, sharers, 0, own);
        double total = own.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Double> shares = new HashMap<>();
        own.forEach((id, lost) -> shares.put(id, total > 0 ? expected * lost / total : 0.0));
        return new Prediction(expected, slowdown(actions, rates, sharers, -Z, new HashMap<>()),
                slowdown(actions, rates, sharers, Z, new HashMap<>()), shares);
    }

    /**
     * The slowdown with every rate moved {@code deviations} Poisson deviations from its count; each
     * action's own lost time (its sites' split evenly with their other hookers, and its pauses) into
     * {@code own}.
     */
    private double slowdown(List<ActionProfile> actions, HookRates rates, Map<String, Integer> sharers,
                            double deviations, Map<String, Double> own) {
        double hooks = 0;
        double pauses = 0;
        for (ActionProfile a : actions) {
            double lost = 0;
            for (String site : a.sites()) {
                double rate = rates.stopsPerSecond(site);
                double relative = deviations / Math.sqrt(Math.max(1, rate * probeSeconds));
                lost += Math.max(0, 1 + relative) * rate * secondsPerStop.getOrDefault(site, DEFAULT_SECONDS_PER_STOP)
                        / sharers.get(site);
            }
            hooks += lost;
            if (a.periodic()) {
                double share = secondsPerRun(a) / (a.period().toNanos() / 1e9);
                pauses += share;
                lost += share;
            }
            own.put(a.id(), lost);
        }
        return (1 + hooks) / (1 - Math.min(0.95, pauses)) - 1;
    }

    private double secondsPerRun(ActionProfile periodic) {
        String kind = periodic.periodicKind();
        return List.of(kind, kind.replace(":unpaused", "")).stream().filter(secondsPerRun::containsKey)
                .map(secondsPerRun::get).findFirst().orElse(DEFAULT_SECONDS_PER_RUN);
    }
}
