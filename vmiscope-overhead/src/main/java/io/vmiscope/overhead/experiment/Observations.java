package io.vmiscope.overhead.experiment;

import io.vmiscope.overhead.Observation;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns an experiment's stored runs into observations: each monitored run against the mean rate of
 * the nearest baselines of the same workload before and after it (one of them at the ends of a block
 * or of an interrupted experiment).
 */
public final class Observations {

    private Observations() {
    }

    /**
     * @param runs an experiment's runs in plan order
     * @return one observation per monitored run that has at least one baseline of its workload
     */
    public static List<Observation> of(List<ExperimentRun> runs) {
        List<Observation> observations = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            ExperimentRun run = runs.get(i);
            if (run.kind().equals("baseline")) {
                continue;
            }
            double before = neighbourBaseline(runs, i, -1);
            double after = neighbourBaseline(runs, i, +1);
            double baseline = Double.isNaN(before) ? after : Double.isNaN(after) ? before : (before + after) / 2;
            if (Double.isNaN(baseline) || run.opsPerSecond() <= 0) {
                continue;
            }
            RunDetail detail = RunDetail.fromJson(run.detailJson());
            observations.add(new Observation(run.experiment(), run.run(), run.workload(), detail.profiles(),
                    detail.vcpus(), baseline, run.opsPerSecond(), run.wallSeconds(), detail.stopsBySite(),
                    detail.stoppedSeconds(), detail.costs()));
        }
        return observations;
    }

    /** The rate of the nearest baseline of the same workload in direction {@code step}; NaN when none. */
    private static double neighbourBaseline(List<ExperimentRun> runs, int from, int step) {
        String workload = runs.get(from).workload();
        for (int j = from + step; j >= 0 && j < runs.size(); j += step) {
            ExperimentRun other = runs.get(j);
            if (!other.workload().equals(workload)) {
                return Double.NaN;
            }
            if (other.kind().equals("baseline") && other.opsPerSecond() > 0) {
                return other.opsPerSecond();
            }
        }
        return Double.NaN;
    }
}
