package io.vmiscope.overhead.experiment;

import io.vmiscope.events.CostSummary;
import io.vmiscope.overhead.ActionProfile;

import java.util.List;
import java.util.Map;

/**
 * What one measured window gave.
 *
 * @param opsPerSecond   the workload's rate, host wall clock
 * @param wallSeconds    the window's measured length
 * @param actions        the profiles of the actions that ran (empty for a baseline)
 * @param stopsBySite    stops per hooked function during the window
 * @param stoppedSeconds VM-stopped time during the window, as the monitor measured it
 * @param costs          each action's costs over the run (warm-up included)
 */
public record Window(double opsPerSecond, double wallSeconds, List<ActionProfile> actions,
                     Map<String, Long> stopsBySite, double stoppedSeconds, List<CostSummary> costs) {

    public Window {
        actions = List.copyOf(actions);
        stopsBySite = Map.copyOf(stopsBySite);
        costs = List.copyOf(costs);
        if (!(opsPerSecond >= 0) || !(wallSeconds > 0)) {
            throw new IllegalArgumentException("a window needs a rate ≥ 0 and a positive length, was "
                    + opsPerSecond + " ops/s over " + wallSeconds + " s");
        }
    }

    /** A window without introspection. */
    public static Window unmonitored(double opsPerSecond, double wallSeconds) {
        return new Window(opsPerSecond, wallSeconds, List.of(), Map.of(), 0, List.of());
    }
}
