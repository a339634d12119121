package io.vmiscope.overhead;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A predicted slowdown with an interval, and each action's share of it.
 *
 * @param slowdown  expected slowdown (0.10: 10% slower)
 * @param low       lower end of the interval
 * @param high      upper end of the interval
 * @param perAction action id → its share of {@code slowdown} (shared stops split between the sharers)
 */
public record Prediction(double slowdown, double low, double high, Map<String, Double> perAction) {

    public Prediction {
        perAction = Map.copyOf(perAction);
        if (!(low <= slowdown && slowdown <= high)) {
            throw new IllegalArgumentException("interval [" + low + ", " + high + "] must hold " + slowdown);
        }
    }

    /** The sorted action ids joined by {@code +}: the name of a combination. */
    public static String combination(List<ActionProfile> actions) {
        return actions.stream().map(ActionProfile::id).sorted().collect(Collectors.joining("+"));
    }
}
