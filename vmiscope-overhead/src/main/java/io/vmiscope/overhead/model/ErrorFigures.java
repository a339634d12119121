package io.vmiscope.overhead.model;

import java.util.List;

/**
 * How close predicted slowdowns came to measured ones over a set of combinations. Errors are
 * relative to the measured slowdown: predicting 0.23 for a measured 0.20 is a 15% error.
 *
 * @param combinations    how many combinations the figures cover
 * @param mapePercent     mean absolute percentage error
 * @param percentWithin15 share of combinations predicted within ±15% of the measured slowdown, in percent
 * @param maxErrorPercent largest absolute percentage error
 */
public record ErrorFigures(int combinations, double mapePercent, double percentWithin15, double maxErrorPercent) {

    /** The error band of {@link #percentWithin15}, in percent. */
    public static final double BAND_PERCENT = 15;

    /** The acceptance: MAPE ≤ 10% and ≥ 90% of predictions within ±15%. */
    public boolean meetsTarget() {
        return mapePercent <= 10 && percentWithin15 >= 90;
    }

    /** Figures of the given absolute percentage errors (at least one). */
    public static ErrorFigures of(List<Double> errorsPercent) {
        if (errorsPercent.isEmpty()) {
            throw new IllegalArgumentException("error figures need at least one combination");
        }
        double sum = 0;
        double max = 0;
        int within = 0;
        for (double error : errorsPercent) {
            sum += error;
            max = Math.max(max, error);
            within += error <= BAND_PERCENT ? 1 : 0;
        }
        int n = errorsPercent.size();
        return new ErrorFigures(n, sum / n, 100.0 * within / n, max);
    }

    /** Absolute percentage error of {@code predicted} against {@code measured}. */
    public static double errorPercent(double predicted, double measured) {
        return 100 * Math.abs(predicted - measured) / Math.abs(measured);
    }
}
