package io.vmiscope.session;

import io.vmiscope.events.CostSummary;
import io.vmiscope.events.Event;
import io.vmiscope.events.ExitEvent;
import io.vmiscope.events.ForkEvent;
import io.vmiscope.monitor.Action;
import io.vmiscope.monitor.Monitor;
import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.HookRates;
import io.vmiscope.overhead.SlowdownPredictor;
import io.vmiscope.overhead.budget.ProcessLifetimes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The counting pass before a budgeted run: the requested actions run for a short window in a monitor of
 * their own (their events are not reported), and what the VM did meanwhile becomes the planner's input —
 * stops per second at each hooked function, stopped time per stop and per periodic walk, and the
 * lifetimes of the processes born meanwhile (when process events are among the actions).
 *
 * <p>The rates are per second of guest progress (the window less its stopped time), an estimate of
 * the unmonitored rates; under TCG the guest also loses re-translation time after each stop that no
 * counter sees, so the rates are still somewhat low. A hook's stopped time per stop is its action's
 * stopped time over its hook hits — return stops (with {@code --returns}) included, as each hit brings
 * its return along.
 */
public final class HookRateProbe {

    /** How long the pass counts: long enough for busy hooks, short enough to wait for. */
    public static final Duration WINDOW = Duration.ofSeconds(2);

    /**
     * What the pass measured.
     *
     * @param rates          stops per second of guest progress at each site (named for the VM; its baseline of
     *                       1 op/s makes stops per op stops per second)
     * @param secondsPerStop VM-stopped seconds per stop at each site
     * @param secondsPerRun  VM-stopped seconds per periodic run by {@link ActionProfile#periodicKind()}
     * @param lifetimes      lifetimes of the processes born during the pass
     * @param seconds        how long the pass lasted
     * @param stoppedSeconds how long the VM was stopped in it
     * @param counted        the actions that ran in it
     */
    public record Result(HookRates rates, Map<String, Double> secondsPerStop, Map<String, Double> secondsPerRun,
                  ProcessLifetimes lifetimes, double seconds, double stoppedSeconds, List<ActionProfile> counted) {

        /** Most the rates are raised by: beyond, the predictor explains no counted pass. */
        static final double LARGEST_CORRECTION = 1000;

        /**
         * The rates the unmonitored guest would cause, by {@code predictor}. The pass counted stops per
         * second of guest progress, taken as the window less its stopped time; but under TCG the guest also
         * loses a re-translation after each stop and what its inserted breakpoints cost, which no counter
         * sees — the counted rates are low by as much (20× for procevents on a fork-heavy load). With the
         * predicted slowdown S of the counted actions at rates r, the window held T / (1 + S) of guest
         * progress, so r = stops × (1 + S(r)) / T: solved by iteration from the counted rates, within
         * {@value #LARGEST_CORRECTION}×. The counted rates themselves when the predictor cannot predict
         * the counted actions.
         */
        public HookRates unmonitored(SlowdownPredictor predictor, int vcpus) {
            if (rates.stopsPerOp().isEmpty()) {
                return rates;
            }
            double progressShare = Math.max(seconds - stoppedSeconds, 0.1 * seconds) / seconds;
            double factor = 1;
            try {
                for (int i = 0; i < 30; i++) {
                    double slowdown = predictor.predict(counted, scaled(factor), vcpus).slowdown();
                    double next = Math.min(LARGEST_CORRECTION, Math.max(1, progressShare * (1 + slowdown)));
                    boolean settled = Math.abs(next - factor) <= 0.01 * factor;
                    factor = next;
                    if (settled) {
                        break;
                    }
                }
            } catch (IllegalArgumentException cannotPredict) {
                return rates;
            }
            return scaled(factor);
        }

        private HookRates scaled(double factor) {
            return new HookRates(rates.workload(), rates.baselineOpsPerSecond() * factor, rates.stopsPerOp());
        }
    }

    private HookRateProbe() {
    }

    /** Runs {@code actions} for {@code window}; returns with their breakpoints removed and the VM running. */
    public static Result measure(Target target, List<Action> actions, Duration window) {
        List<Event> processEvents = new ArrayList<>();
        Monitor monitor = new Monitor(target.connection(), target.linux(), event -> {
            if (event instanceof ForkEvent || event instanceof ExitEvent) {
                processEvents.add(event);
            }
        }, Monitor.Options.named(target.name()));
        actions.forEach(monitor::start);
        long start = System.nanoTime();
        monitor.run(window);
        double seconds = (System.nanoTime() - start) / 1e9;
        long endEpochNanos = System.currentTimeMillis() * 1_000_000L;

        List<ActionProfile> counted = actions.stream().map(ActionProfile::of).toList();
        Map<String, CostSummary> costs = new HashMap<>();
        monitor.costs().forEach(c -> costs.put(c.action(), c));
        double stopped = costs.values().stream().mapToLong(CostSummary::stoppedNanos).sum() / 1e9;
        double progress = Math.max(seconds - stopped, 0.1 * seconds);
        Map<String, Double> perSecond = new HashMap<>();
        monitor.stopsBySite().forEach((site, stops) -> perSecond.put(site, stops / progress));

        Map<String, List<Double>> stopCosts = new HashMap<>();
        Map<String, Double> secondsPerRun = new HashMap<>();
        for (Action action : actions) {
            CostSummary cost = costs.get(action.id());
            ActionProfile profile = ActionProfile.of(action);
            if (cost == null) {
                continue;
            }
            if (profile.periodic() && cost.periodicRuns() > 0) {
                secondsPerRun.put(profile.periodicKind(), cost.stoppedNanos() / 1e9 / cost.periodicRuns());
            } else if (cost.hits() > 0) {
                double perStop = cost.stoppedNanos() / 1e9 / cost.hits();
                profile.sites().forEach(site -> stopCosts.computeIfAbsent(site, s -> new ArrayList<>()).add(perStop));
            }
        }
        Map<String, Double> secondsPerStop = new HashMap<>();
        stopCosts.forEach((site, list) -> secondsPerStop.put(site,
                list.stream().mapToDouble(Double::doubleValue).average().orElseThrow()));
        return new Result(new HookRates(target.name(), 1.0, perSecond), secondsPerStop, secondsPerRun,
                lifetimes(processEvents, endEpochNanos), seconds, stopped, counted);
    }

    /** Births (forks of processes, not threads) and the exits that ended them. */
    private static ProcessLifetimes lifetimes(List<Event> events, long endEpochNanos) {
        Map<Integer, Long> born = new HashMap<>();
        List<Double> ended = new ArrayList<>();
        for (Event event : events) {
            if (event instanceof ForkEvent fork && !fork.thread()) {
                born.put(fork.childPid(), fork.timeNanos());
            } else if (event instanceof ExitEvent exit && !exit.thread() && born.containsKey(exit.process().pid())) {
                ended.add((exit.timeNanos() - born.remove(exit.process().pid())) / 1e9);
            }
        }
        List<Double> alive = born.values().stream().map(t -> Math.max(0, endEpochNanos - t) / 1e9).toList();
        return new ProcessLifetimes(ended, alive);
    }
}
