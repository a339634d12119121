package io.vmiscope.overhead.model;

import io.vmiscope.overhead.Observation;

import java.util.List;

/**
 * Splits measured runs into what a model is fitted on — combinations of 1 or 2 actions on every
 * workload but the held-out one — and what validates it: combinations of 3 or more actions, and every
 * combination on the held-out workload but its calibration pass.
 *
 * <p>The calibration pass stands for what a counting pass on a new workload measures besides its hook
 * rates: how much one action slows it down. A workload's re-translation after each stop depends on its
 * code and cannot be known without running it; one short run of one action gives it to the fit.
 *
 * @param heldOutWorkload    the workload kept out of the fit; {@code null} for none
 * @param heldOutCalibration the combination (e.g. {@code procevents}) whose runs on the held-out
 *                           workload are fitted on as its calibration pass, or {@value #SINGLES} for
 *                           every single action's (what {@code overhead calibrate} measures on a
 *                           workload); {@code null} for none
 */
public record ObservationSplit(String heldOutWorkload, String heldOutCalibration) {

    /** The calibration pass that is every single action's runs. */
    public static final String SINGLES = "singles";

    /** A split without a calibration pass on the held-out workload. */
    public ObservationSplit(String heldOutWorkload) {
        this(heldOutWorkload, null);
    }

    /** The group of {@code combination} ({@code actionCount} actions) on {@code workload}. */
    public ValidationGroup group(String workload, String combination, int actionCount) {
        if (workload.equals(heldOutWorkload)) {
            boolean calibration = combination.equals(heldOutCalibration) || SINGLES.equals(heldOutCalibration) && actionCount == 1;
            return calibration ? ValidationGroup.TRAINING : ValidationGroup.HELD_OUT_WORKLOAD;
        }
        return actionCount >= 3 ? ValidationGroup.MANY_ACTIONS : ValidationGroup.TRAINING;
    }

    /** The runs to fit on. */
    public List<Observation> training(List<Observation> observations) {
        return observations.stream()
                .filter(o -> group(o.workload(), o.combination(), o.actions().size()) == ValidationGroup.TRAINING)
                .toList();
    }
}
