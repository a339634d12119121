package io.vmiscope.overhead.model;

/** Where a measured combination stands in a fit's validation. */
public enum ValidationGroup {
    /** 1 or 2 actions on a training workload: what the model is fitted on. */
    TRAINING("training (1–2 actions)"),
    /** 3 or more actions on a training workload: interactions the fit never saw together. */
    MANY_ACTIONS("validation: 3+ actions"),
    /** any combination on the workload left out of the fit. */
    HELD_OUT_WORKLOAD("validation: held-out workload");

    private final String label;

    ValidationGroup(String label) {
        this.label = label;
    }

    /** The group's name in tables, CSV and the model file. */
    public String label() {
        return label;
    }
}
