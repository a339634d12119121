package io.vmiscope.overhead.model;

import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.Observation;
import io.vmiscope.overhead.Prediction;
import io.vmiscope.overhead.Statistics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One combination of actions on one workload with one vCPU count, measured: the median slowdown of
 * its repetitions, so that one noisy run does not pull the fit or the error figures.
 *
 * @param workload         the workload
 * @param actions          the combination
 * @param vcpus            the VM's vCPU count
 * @param repetitions      how many runs the median is taken over
 * @param measuredSlowdown median slowdown of those runs (0.10: 10% slower)
 * @param lowestSlowdown   the lowest of them
 * @param highestSlowdown  the highest of them
 */
public record MeasuredCombination(String workload, List<ActionProfile> actions, int vcpus, int repetitions,
                                  double measuredSlowdown, double lowestSlowdown, double highestSlowdown) {

    public MeasuredCombination {
        actions = List.copyOf(actions);
    }

    /** How far its repetitions lay apart, relative to their median: (highest − lowest) / |median|, in percent. */
    public double spreadPercent() {
        return 100 * (highestSlowdown - lowestSlowdown) / Math.abs(measuredSlowdown);
    }

    /** The combination's name, e.g. {@code procevents+pslist:1s}. */
    public String combination() {
        return Prediction.combination(actions);
    }

    /** Groups the observations by workload, combination and vCPU count; sorted by those. */
    public static List<MeasuredCombination> of(List<Observation> observations) {
        Map<String, List<Observation>> groups = new LinkedHashMap<>();
        for (Observation observation : observations) {
            String key = observation.workload() + "\n" + observation.combination() + "\n" + observation.vcpus();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(observation);
        }
        List<MeasuredCombination> combinations = new ArrayList<>();
        for (List<Observation> runs : groups.values()) {
            Observation first = runs.get(0);
            List<Double> slowdowns = runs.stream().map(Observation::slowdown).toList();
            combinations.add(new MeasuredCombination(first.workload(), first.actions(), first.vcpus(), runs.size(),
                    Statistics.median(slowdowns), Collections.min(slowdowns), Collections.max(slowdowns)));
        }
        combinations.sort(Comparator.comparing(MeasuredCombination::workload)
                .thenComparing(MeasuredCombination::combination)
                .thenComparingInt(MeasuredCombination::vcpus));
        return combinations;
    }
}
