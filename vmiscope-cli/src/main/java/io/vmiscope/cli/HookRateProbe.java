package io.vmiscope.cli;

import io.vmiscope.events.Event;
import io.vmiscope.events.ExitEvent;
import io.vmiscope.events.ForkEvent;
import io.vmiscope.monitor.Action;
import io.vmiscope.monitor.CostSummary;
import io.vmiscope.monitor.Monitor;
import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.HookRates;
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
final class HookRateProbe {

    /** How long the pass counts: long enough for busy hooks, short enough to wait for. */
    static final Duration WINDOW = Duration.ofSeconds(2);

    /**
     * What the pass measured.
     *
     * @param rates          stops per second of guest progress at each site (named for the VM; its baseline of
     *                       1 op/s makes stops per op stops per second)
     * @param secondsPerStop VM-stopped seconds per stop at each site
     * @param secondsPerRun  VM-stopped seconds per periodic run by {@link ActionProfile#periodicKind()}
     * @param lifetimes      lifetimes of the processes born during the pass
     * @param seconds        how long the pass lasted
     */
    record Result(HookRates rates, Map<String, Double> secondsPerStop, Map<String, Double> secondsPerRun,
                  ProcessLifetimes lifetimes, double seconds) {
    }

    private HookRateProbe() {
    }

    /** Runs {@code actions} for {@code window}; returns with their breakpoints removed and the VM running. */
    static Result measure(TargetOptions.Session session, List<Action> actions, Duration window) {
        List<Event> processEvents = new ArrayList<>();
        Monitor monitor = new Monitor(session.driver(), session.linux(), event -> {
            if (event instanceof ForkEvent || event instanceof ExitEvent) {
                processEvents.add(event);
            }
        }, Monitor.Options.named(session.name()));
        actions.forEach(monitor::start);
        long start = System.nanoTime();
        monitor.run(window);
        double seconds = (System.nanoTime() - start) / 1e9;
        long endEpochNanos = System.currentTimeMillis() * 1_000_000L;

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
        return new Result(new HookRates(session.name(), 1.0, perSecond), secondsPerStop, secondsPerRun,
                lifetimes(processEvents, endEpochNanos), seconds);
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
