package io.vmiscope.overhead.model;

import io.vmiscope.events.CostSummary;
import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.Observation;
import io.vmiscope.overhead.Statistics;
import org.apache.commons.math3.stat.regression.SimpleRegression;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The costs the monitor itself measures — VM-stopped time on the host clock, from the actions' cost
 * records — which the model takes as they are instead of fitting them. What the monitor cannot see
 * (the guest's re-translation after each stop) is fitted on top, in {@link FittedCosts}.
 *
 * <p>An action that has both hooks and periodic work gets neither figure here (its cost record mixes
 * the two); its costs are then fitted only.
 *
 * @param baseStopSeconds        VM-stopped time of one stop outside any handler (registers, step-over,
 *                               resume) with 1 vCPU, extrapolated along the line through the measured
 *                               vCPU counts (a single count gives a constant)
 * @param baseStopSecondsPerVcpu how much that time grows with each further vCPU
 * @param ownSecondsPerHit       hook action → its own stopped time per hit (handler, reads, return stops)
 * @param stoppedSecondsPerRun   periodic action → VM-stopped time of one periodic run
 */
public record Calibration(double baseStopSeconds, double baseStopSecondsPerVcpu, Map<String, Double> ownSecondsPerHit,
                          Map<String, Double> stoppedSecondsPerRun) {

    public Calibration {
        ownSecondsPerHit = Collections.unmodifiableSortedMap(new TreeMap<>(ownSecondsPerHit));
        stoppedSecondsPerRun = Collections.unmodifiableSortedMap(new TreeMap<>(stoppedSecondsPerRun));
    }

    /**
     * Reads the cost records of {@code observations}: the base stop from stops of hook actions that
     * shared no site (stopped median minus handler time), each hook action's own cost from its stopped
     * time per hit less the base, each periodic action's stopped time per run; medians throughout.
     */
    public static Calibration from(List<Observation> observations) {
        Map<Integer, List<Double>> baseByVcpus = new TreeMap<>();
        List<HitSample> hitSamples = new ArrayList<>();
        Map<String, List<Double>> runSamples = new TreeMap<>();
        for (Observation observation : observations) {
            for (ActionProfile action : observation.actions()) {
                Optional<CostSummary> cost = costOf(observation, action.id());
                if (cost.isEmpty()) {
                    continue;
                }
                CostSummary summary = cost.get();
                if (!action.periodic() && summary.hits() > 0 && sharesNoSite(action, observation)) {
                    baseByVcpus.computeIfAbsent(observation.vcpus(), v -> new ArrayList<>())
                            .add((summary.stoppedMedianNanos() - summary.handlerNanosPerStop()) / 1e9);
                    hitSamples.add(new HitSample(action.id(), observation.vcpus(),
                            summary.stoppedNanos() / 1e9 / summary.hits()));
                }
                if (action.periodic() && action.sites().isEmpty() && summary.periodicRuns() > 0) {
                    runSamples.computeIfAbsent(action.id(), id -> new ArrayList<>())
                            .add(summary.stoppedNanos() / 1e9 / summary.periodicRuns());
                }
            }
        }
        double[] line = baseLine(baseByVcpus);
        Map<String, List<Double>> ownSamples = new TreeMap<>();
        for (HitSample sample : hitSamples) {
            double base = line[0] + line[1] * (sample.vcpus() - 1);
            ownSamples.computeIfAbsent(sample.action(), id -> new ArrayList<>()).add(sample.secondsPerHit() - base);
        }
        Map<String, Double> own = new TreeMap<>();
        ownSamples.forEach((id, values) -> own.put(id, Math.max(0, Statistics.median(values))));
        Map<String, Double> perRun = new TreeMap<>();
        runSamples.forEach((id, values) -> perRun.put(id, Statistics.median(values)));
        return new Calibration(line[0], line[1], own, perRun);
    }

    /** VM-stopped time of one stop outside any handler with {@code vcpus} vCPUs; never negative. */
    public double baseStopSeconds(int vcpus) {
        return Math.max(0, baseStopSeconds + baseStopSecondsPerVcpu * (vcpus - 1));
    }

    /** The action's own stopped time per hit; 0 when no cost record showed it. */
    public double ownSecondsPerHit(String action) {
        return ownSecondsPerHit.getOrDefault(action, 0.0);
    }

    /** The action's stopped time per periodic run; 0 when no cost record showed it. */
    public double stoppedSecondsPerRun(String action) {
        return stoppedSecondsPerRun.getOrDefault(action, 0.0);
    }

    private static Optional<CostSummary> costOf(Observation observation, String action) {
        return observation.costs().stream().filter(c -> c.action().equals(action)).findFirst();
    }

    private static boolean sharesNoSite(ActionProfile action, Observation observation) {
        return observation.actions().stream()
                .filter(other -> !other.id().equals(action.id()))
                .noneMatch(other -> other.sites().stream().anyMatch(action.sites()::contains));
    }

    /** Intercept (1 vCPU) and slope per vCPU through the per-count medians; a flat line for one count. */
    private static double[] baseLine(Map<Integer, List<Double>> byVcpus) {
        if (byVcpus.isEmpty()) {
            return new double[]{0, 0};
        }
        if (byVcpus.size() == 1) {
            return new double[]{Statistics.median(byVcpus.values().iterator().next()), 0};
        }
        SimpleRegression regression = new SimpleRegression();
        byVcpus.forEach((vcpus, values) -> regression.addData(vcpus - 1, Statistics.median(values)));
        return new double[]{regression.getIntercept(), regression.getSlope()};
    }

    private record HitSample(String action, int vcpus, double secondsPerHit) {
    }
}
