package io.vmiscope.overhead;

import java.util.Map;
import java.util.Objects;

/**
 * How often a workload reaches each kernel function an action may hook: counted under monitoring
 * (stops per site ÷ operations done), which does not depend on how much the monitoring slowed it
 * down, and scaled by the workload's unmonitored rate.
 *
 * @param workload           the workload's name, or a VM's name when learned from its live event stream
 * @param baselineOpsPerSecond the workload's rate without monitoring (host wall clock)
 * @param stopsPerOp         site (symbol) → stops per operation; a site not listed is never reached
 */
public record HookRates(String workload, double baselineOpsPerSecond, Map<String, Double> stopsPerOp) {

    public HookRates {
        Objects.requireNonNull(workload, "workload");
        stopsPerOp = Map.copyOf(stopsPerOp);
        if (!(baselineOpsPerSecond > 0)) {
            throw new IllegalArgumentException("baseline rate must be positive, was " + baselineOpsPerSecond);
        }
    }

    /** Stops per second at {@code site} that the unmonitored workload would cause. */
    public double stopsPerSecond(String site) {
        return stopsPerOp.getOrDefault(site, 0.0) * baselineOpsPerSecond;
    }
}
