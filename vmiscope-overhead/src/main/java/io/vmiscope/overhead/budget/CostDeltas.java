package io.vmiscope.overhead.budget;

import io.vmiscope.events.CostSummary;

import java.util.HashMap;
import java.util.Map;

/** The monitor's costs since the previous reading: what the controller measures each interval. One caller. */
final class CostDeltas {

    /**
     * Growth since the previous reading.
     *
     * @param stoppedNanos VM-stopped time per action id
     * @param periodicRuns periodic runs per action id
     * @param stopsBySite  stops per hooked function
     */
    record Delta(Map<String, Long> stoppedNanos, Map<String, Long> periodicRuns, Map<String, Long> stopsBySite) {

        long stoppedNanos(String actionId) {
            return actionId == null ? 0 : stoppedNanos.getOrDefault(actionId, 0L);
        }

        long periodicRuns(String actionId) {
            return actionId == null ? 0 : periodicRuns.getOrDefault(actionId, 0L);
        }

        /** All the VM-stopped time, whichever action it went to. */
        long totalStoppedNanos() {
            return stoppedNanos.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final MonitorControl monitor;
    private Map<String, CostSummary> lastCosts = Map.of();
    private Map<String, Long> lastStops = Map.of();

    CostDeltas(MonitorControl monitor) {
        this.monitor = monitor;
    }

    Delta next() {
        Map<String, CostSummary> costs = new HashMap<>();
        monitor.costs().forEach(c -> costs.put(c.action(), c));
        Map<String, Long> stops = monitor.stopsBySite();
        Map<String, Long> stopped = new HashMap<>();
        Map<String, Long> runs = new HashMap<>();
        costs.forEach((id, now) -> {
            CostSummary before = lastCosts.get(id);
            stopped.put(id, now.stoppedNanos() - (before == null ? 0 : before.stoppedNanos()));
            runs.put(id, now.periodicRuns() - (before == null ? 0 : before.periodicRuns()));
        });
        Map<String, Long> sites = new HashMap<>();
        Map<String, Long> previous = lastStops;
        stops.forEach((site, n) -> sites.put(site, n - previous.getOrDefault(site, 0L)));
        lastCosts = costs;
        lastStops = Map.copyOf(stops);
        return new Delta(stopped, runs, sites);
    }
}
