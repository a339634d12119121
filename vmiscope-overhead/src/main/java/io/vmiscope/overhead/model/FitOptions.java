package io.vmiscope.overhead.model;

/**
 * How the model is fitted.
 *
 * @param slowdownFloor    residuals are weighted by 1 / max(measured slowdown, this), so that a 2%
 *                         slowdown counts as much as a 200% one without a nearly free action's noise
 *                         dominating the fit
 * @param intervalCoverage the share of leave-one-out errors the prediction interval covers, in (0, 1)
 */
public record FitOptions(double slowdownFloor, double intervalCoverage) {

    public FitOptions {
        if (!(slowdownFloor > 0)) {
            throw new IllegalArgumentException("slowdown floor must be positive, was " + slowdownFloor);
        }
        if (!(intervalCoverage > 0 && intervalCoverage < 1)) {
            throw new IllegalArgumentException("interval coverage must be in (0, 1), was " + intervalCoverage);
        }
    }

    /** A 1% floor and a 90% interval. */
    public static FitOptions defaults() {
        return new FitOptions(0.01, 0.9);
    }
}
