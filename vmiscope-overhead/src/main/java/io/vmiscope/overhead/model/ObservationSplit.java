package io.vmiscope.overhead.model;

import io.vmiscope.overhead.Observation;

import java.util.List;

/**
 * Splits measured runs into what a model is fitted on — combinations of 1 or 2 actions on every
 * workload but the held-out one — and what validates it: combinations of 3 or more actions, and every
 * combination on the held-out workload.
 *
 * @param heldOutWorkload the workload kept out of the fit; {@code null} for none
 */
public record ObservationSplit(String heldOutWorkload) {

    /** The group of a combination of {@code actionCount} actions on {@code workload}. */
    public ValidationGroup group(String workload, int actionCount) {
        if (workload.equals(heldOutWorkload)) {
            return ValidationGroup.HELD_OUT_WORKLOAD;
        }
        return actionCount >= 3 ? ValidationGroup.MANY_ACTIONS : ValidationGroup.TRAINING;
    }

    /** The runs to fit on. */
    public List<Observation> training(List<Observation> observations) {
        return observations.stream()
                .filter(o -> group(o.workload(), o.actions().size()) == ValidationGroup.TRAINING)
                .toList();
    }
}
