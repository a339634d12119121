package io.vmiscope.overhead.budget;

import io.vmiscope.overhead.HookRates;
import io.vmiscope.overhead.Prediction;
import io.vmiscope.overhead.SlowdownPredictor;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Predicts variants running together, duty cycles included: the model predicts the running variants
 * as if always on, and each action's share is then scaled by its duty fraction (it stops the VM only
 * while on). The interval scales with the total. A combination where nothing runs costs nothing; an
 * action that two variants come down to runs once.
 * Thread-safe when the model is.
 */
final class CombinationPredictor {

    private final SlowdownPredictor model;

    CombinationPredictor(SlowdownPredictor model) {
        this.model = model;
    }

    /** @throws IllegalArgumentException when the model cannot predict one of them */
    Prediction predict(List<Variant> variants, HookRates rates, int vcpus) {
        // Two requested actions can come down to the same one (procevents replaced by the pslist:1s that
        // was requested beside it): it runs once, as often as the busier of the two asks.
        Map<String, Variant> byAction = new LinkedHashMap<>();
        for (Variant v : variants) {
            if (v.runs()) {
                byAction.merge(v.profile().id(), v, (a, b) -> a.duty().fraction() >= b.duty().fraction() ? a : b);
            }
        }
        List<Variant> running = List.copyOf(byAction.values());
        if (running.isEmpty()) {
            return new Prediction(0, 0, 0, Map.of());
        }
        Prediction always = model.predict(running.stream().map(Variant::profile).toList(), rates, vcpus);
        Map<String, Double> perAction = new HashMap<>();
        double raw = 0;
        double scaled = 0;
        double largestDuty = 0;
        for (Variant v : running) {
            double share = always.perAction().getOrDefault(v.profile().id(), 0.0);
            double fraction = v.duty().fraction();
            perAction.put(v.profile().id(), share * fraction);
            raw += share;
            scaled += share * fraction;
            largestDuty = Math.max(largestDuty, fraction);
        }
        // with no shares to weigh by, the busiest duty bounds the total from above
        double factor = raw > 0 ? scaled / raw : largestDuty;
        return new Prediction(always.slowdown() * factor, always.low() * factor, always.high() * factor, perAction);
    }
}
