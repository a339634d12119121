package io.vmiscope.overhead.model;

import io.vmiscope.overhead.HookRates;
import io.vmiscope.overhead.Observation;
import io.vmiscope.overhead.Statistics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Each workload's hook rates pooled over all its measured runs, as a counting pass would give them:
 * stops per operation at a site are the median over the runs that hooked it, the baseline rate the
 * median of the runs' baselines. Stops per operation do not depend on how much monitoring slowed
 * the workload, so every monitored run counts, whatever it cost.
 */
public final class WorkloadRates {

    private WorkloadRates() {
    }

    /** Workload name → its pooled hook rates. */
    public static Map<String, HookRates> pooled(List<Observation> observations) {
        Map<String, List<Observation>> byWorkload = new TreeMap<>();
        observations.forEach(o -> byWorkload.computeIfAbsent(o.workload(), w -> new ArrayList<>()).add(o));
        Map<String, HookRates> rates = new TreeMap<>();
        byWorkload.forEach((workload, runs) -> rates.put(workload, pool(workload, runs)));
        return rates;
    }

    private static HookRates pool(String workload, List<Observation> runs) {
        Map<String, List<Double>> perOpBySite = new TreeMap<>();
        List<Double> baselines = new ArrayList<>();
        for (Observation run : runs) {
            baselines.add(run.baselineOpsPerSecond());
            double ops = run.opsPerSecond() * run.wallSeconds();
            if (!(ops > 0)) {
                continue;
            }
            Set<String> hooked = new TreeSet<>();
            run.actions().forEach(action -> hooked.addAll(action.sites()));
            for (String site : hooked) {
                perOpBySite.computeIfAbsent(site, s -> new ArrayList<>()).add(run.stopsBySite().getOrDefault(site, 0L) / ops);
            }
        }
        Map<String, Double> stopsPerOp = new TreeMap<>();
        perOpBySite.forEach((site, values) -> stopsPerOp.put(site, Statistics.median(values)));
        return new HookRates(workload, Statistics.median(baselines), stopsPerOp);
    }
}
