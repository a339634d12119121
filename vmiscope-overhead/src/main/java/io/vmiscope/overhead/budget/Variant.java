package io.vmiscope.overhead.budget;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.overhead.ActionProfile;

import java.util.Objects;

/**
 * One way to run a requested action: the requested action itself, a cheaper form of it (fewer
 * syscalls, a longer snapshot period, snapshots instead of events), any of these time-boxed by a duty
 * cycle, or not at all. Immutable.
 *
 * <p>Coverage is the estimated share of the requested action's events the variant still sees (the
 * estimate each variant source documents: {@link FewerSyscalls}, {@link SlowerSnapshots},
 * {@link SnapshotsInsteadOfEvents}, {@link DutyCycles}). Restricting an action to some processes is not
 * a variant: QEMU's stub has no conditional breakpoints, so every hit stops the VM and the process
 * filter runs after the stop — it saves handler time, not stops, and so cannot make a request fit
 * that does not fit already.
 *
 * @param name     what people call it, e.g. {@code syscalls:file without openat}; the spec where that is short
 * @param spec     how to build it, e.g. {@code syscalls:openat,execve}
 * @param profile  the built action's profile (its hooked sites and periodic work)
 * @param duty     when it runs; {@link DutyCycle#FULL} for continuously, {@link DutyCycle#OFF} for stopped
 * @param coverage share of the requested events it sees, in [0, 1]
 * @param change   what its form changes from the request's, for people, e.g. {@code "traces 12 of 40 syscalls"};
 *                 empty for the request's own form (its duty cycle shows in {@link #label()})
 */
public record Variant(String name, ActionSpec spec, ActionProfile profile, DutyCycle duty, double coverage,
                      String change) {

    public Variant {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(duty, "duty");
        if (!(coverage >= 0 && coverage <= 1)) {
            throw new IllegalArgumentException("coverage must be in [0, 1], was " + coverage);
        }
    }

    /** The action as requested: continuous, full coverage. */
    public static Variant requested(ActionSpec spec, ActionProfile profile) {
        return new Variant(spec.toString(), spec, profile, DutyCycle.FULL, 1.0, "");
    }

    /** The same, time-boxed: coverage scales by the duty's fraction (of a time-boxed one, fractions multiply). */
    public Variant withDuty(DutyCycle cycle) {
        return new Variant(name, spec, profile, cycle, coverage * cycle.fraction(), change);
    }

    /** The same action, stopped: sees nothing, costs nothing. */
    public Variant stopped() {
        return withDuty(DutyCycle.OFF);
    }

    /** Whether it runs at all. */
    public boolean runs() {
        return duty.fraction() > 0;
    }

    /** {@code syscalls:all}, {@code syscalls:all on 1 s of every 4 s}, {@code syscalls:all stopped}. */
    public String label() {
        if (!runs()) {
            return name + " stopped";
        }
        return duty.off().isZero() ? name : name + " " + duty.describe();
    }
}
