package io.vmiscope.overhead.model;

import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.HookRates;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How often a combination of actions stops a workload, before any cost is attached: the part of the
 * model that both the fit and the prediction evaluate. Rates are per second of unmonitored guest
 * time. A site hooked by several actions stops the VM once, so it counts once in
 * {@link #stopsPerSecond()} and is split between its actions in {@link #sharedStopsPerSecond()}.
 *
 * @param actions              the combination
 * @param stopsPerSecond       stops at the union of the actions' sites
 * @param hitsPerSecond        action → stops at its own sites (each sharer sees every shared stop)
 * @param sharedStopsPerSecond action → its part of {@code stopsPerSecond} (a stop shared by k actions counts 1/k each)
 * @param runsPerSecond        periodic action → periodic runs per second
 */
record CombinationLoad(List<ActionProfile> actions, double stopsPerSecond, Map<String, Double> hitsPerSecond,
                       Map<String, Double> sharedStopsPerSecond, Map<String, Double> runsPerSecond) {

    static CombinationLoad of(List<ActionProfile> actions, HookRates rates) {
        if (actions.isEmpty()) {
            throw new IllegalArgumentException("a prediction needs at least one action");
        }
        Set<String> ids = new HashSet<>();
        Map<String, Integer> sharers = new TreeMap<>();
        for (ActionProfile action : actions) {
            if (!ids.add(action.id())) {
                throw new IllegalArgumentException("action " + action.id() + " is listed twice");
            }
            action.sites().forEach(site -> sharers.merge(site, 1, Integer::sum));
        }
        double stops = 0;
        for (String site : sharers.keySet()) {
            stops += rates.stopsPerSecond(site);
        }
        Map<String, Double> hits = new TreeMap<>();
        Map<String, Double> shared = new TreeMap<>();
        Map<String, Double> runs = new TreeMap<>();
        for (ActionProfile action : actions) {
            double own = 0;
            double part = 0;
            for (String site : action.sites()) {
                own += rates.stopsPerSecond(site);
                part += rates.stopsPerSecond(site) / sharers.get(site);
            }
            hits.put(action.id(), own);
            shared.put(action.id(), part);
            if (action.periodic()) {
                runs.put(action.id(), 1e9 / action.period().toNanos());
            }
        }
        return new CombinationLoad(List.copyOf(actions), stops, hits, shared, runs);
    }

    /** Unmonitored guest time between two stops; infinite when no site is reached. */
    double secondsBetweenStops() {
        return 1 / stopsPerSecond;
    }

    /** The periodic actions whose runs let the VM run between steps (and so queue with stops). */
    Set<String> unpausedPeriodic() {
        Set<String> unpaused = new TreeSet<>();
        actions.stream().filter(a -> a.periodic() && !a.pausesVm()).forEach(a -> unpaused.add(a.id()));
        return unpaused;
    }
}
