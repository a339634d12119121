package io.vmiscope.overhead.budget;

import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.HookRates;
import io.vmiscope.overhead.Prediction;
import io.vmiscope.overhead.SlowdownPredictor;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model for tests: every stop costs {@code secondsPerStop} (a shared site stops once), every periodic
 * run {@code secondsPerRun}; the interval is [0.8, 1.25] × the prediction.
 */
record LinearPredictor(double secondsPerStop, double secondsPerRun) implements SlowdownPredictor {

    static final double LOW = 0.8;
    static final double HIGH = 1.25;

    @Override
    public Prediction predict(List<ActionProfile> actions, HookRates rates, int vcpus) {
        Set<String> counted = new HashSet<>();
        Map<String, Double> shares = new HashMap<>();
        double total = 0;
        for (ActionProfile a : actions) {
            double own = 0;
            for (String site : a.sites()) {
                if (counted.add(site)) {
                    own += rates.stopsPerSecond(site) * secondsPerStop;
                }
            }
            if (a.periodic()) {
                own += secondsPerRun / (a.period().toMillis() / 1000.0);
            }
            shares.put(a.id(), own);
            total += own;
        }
        return new Prediction(total, LOW * total, HIGH * total, shares);
    }
}
