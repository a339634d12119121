package io.vmiscope.web;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.overhead.Prediction;
import io.vmiscope.overhead.budget.Budget;
import io.vmiscope.session.live.LivePrediction;

import java.util.List;
import java.util.Map;

/** A prediction as the API shows it ({@code Prediction} of openapi.yaml); fits judged on the interval's upper end. */
record PredictionView(List<String> actions, double slowdown, double low, double high, Map<String, Double> perAction,
                      String basis, Double budget, Boolean fits) {

    static PredictionView of(LivePrediction p, Budget budget) {
        Prediction pr = p.prediction();
        return new PredictionView(p.specs().stream().map(ActionSpec::toString).toList(), finite(pr.slowdown()), finite(pr.low()), finite(pr.high()), pr.perAction(),
                p.basis(), budget == null ? null : budget.maxSlowdown(), budget == null ? null : budget.fits(pr));
    }

    /** JSON has no infinity: a VM paused all the time shows as a slowdown of 1e9. */
    private static double finite(double value) {
        return Double.isFinite(value) ? value : 1e9;
    }
}
