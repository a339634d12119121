package io.vmiscope.overhead.model;

import org.apache.commons.math3.stat.descriptive.rank.Percentile;

import java.util.List;

/**
 * How far a measured slowdown may lie from the predicted one, as factors on the prediction: the
 * interval is {@code [predicted × lowFactor, predicted × highFactor]}. The factors are empirical
 * quantiles of measured ÷ predicted over the training combinations, each predicted by a model fitted
 * without it (leave-one-out), so they show how the model errs on a combination it has not seen —
 * within the kind of combinations it was fitted on. A {@code coverage} of 0.9 means 90% of those
 * held-out ratios fell inside; it is no guarantee for workloads or combinations unlike the training set.
 *
 * @param coverage   the share of leave-one-out ratios inside the interval, e.g. 0.9
 * @param lowFactor  lower factor, ≤ 1
 * @param highFactor upper factor, ≥ 1
 * @param samples    how many leave-one-out ratios the factors come from
 */
public record PredictionInterval(double coverage, double lowFactor, double highFactor, int samples) {

    public PredictionInterval {
        if (!(lowFactor <= 1 && highFactor >= 1)) {
            throw new IllegalArgumentException("interval factors must hold 1, were " + lowFactor + " and " + highFactor);
        }
    }

    /** The central {@code coverage} quantiles of measured ÷ predicted ratios, widened to hold 1. */
    public static PredictionInterval of(List<Double> ratios, double coverage) {
        if (ratios.isEmpty()) {
            return new PredictionInterval(coverage, 1, 1, 0);
        }
        double[] values = ratios.stream().mapToDouble(Double::doubleValue).toArray();
        Percentile percentile = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        double low = percentile.evaluate(values, 100 * (1 - coverage) / 2);
        double high = percentile.evaluate(values, 100 * (1 + coverage) / 2);
        return new PredictionInterval(coverage, Math.min(1, low), Math.max(1, high), values.length);
    }
}
