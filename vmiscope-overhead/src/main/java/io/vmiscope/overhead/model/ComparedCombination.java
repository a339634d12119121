package io.vmiscope.overhead.model;

import io.vmiscope.overhead.Prediction;

/**
 * A measured combination beside the model's prediction for it.
 *
 * @param measured   the combination and its median measured slowdown
 * @param group      where it stands in the validation
 * @param prediction what the model predicted for it
 */
public record ComparedCombination(MeasuredCombination measured, ValidationGroup group, Prediction prediction) {

    /** Absolute error relative to the measured slowdown, in percent. */
    public double errorPercent() {
        return ErrorFigures.errorPercent(prediction.slowdown(), measured.measuredSlowdown());
    }

    /** Whether the measured slowdown lies inside the prediction's interval. */
    public boolean insideInterval() {
        double m = measured.measuredSlowdown();
        return prediction.low() <= m && m <= prediction.high();
    }
}
