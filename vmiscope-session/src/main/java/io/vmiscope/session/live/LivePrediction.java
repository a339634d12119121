package io.vmiscope.session.live;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.overhead.Prediction;

import java.util.List;

/**
 * A prediction and how it was made.
 *
 * @param specs      the actions predicted
 * @param prediction the slowdown with its interval and each action's share
 * @param basis      one line: which model, which rates
 */
public record LivePrediction(List<ActionSpec> specs, Prediction prediction, String basis) {

    public LivePrediction {
        specs = List.copyOf(specs);
    }
}
