package io.vmiscope.overhead.budget;

import java.time.Duration;

/**
 * A time box for an action: it runs for {@code on} out of every {@code on + off}, starting with its
 * {@code on} part. Its cost and the share of events it sees both scale by {@link #fraction()}: events
 * arrive at the same rate whether or not it watches, and it stops the VM only while it runs.
 * Immutable.
 *
 * @param on  how long it runs in each cycle; zero: never (the action is stopped)
 * @param off how long it rests in each cycle; zero: always on
 */
public record DutyCycle(Duration on, Duration off) {

    /** Always on: the action as requested. */
    public static final DutyCycle FULL = new DutyCycle(Duration.ofSeconds(1), Duration.ZERO);
    /** Never on: the action is stopped. */
    public static final DutyCycle OFF = new DutyCycle(Duration.ZERO, Duration.ofSeconds(1));

    public DutyCycle {
        if (on.isNegative() || off.isNegative() || on.plus(off).isZero()) {
            throw new IllegalArgumentException("a duty cycle needs on ≥ 0, off ≥ 0 and a positive period, was on "
                    + on.toMillis() + " ms, off " + off.toMillis() + " ms");
        }
    }

    /** {@code fraction} of every {@code period}, e.g. 0.25 of 4 s: on 1 s, off 3 s. */
    public static DutyCycle of(double fraction, Duration period) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("a duty cycle's fraction must be in [0, 1], was " + fraction);
        }
        long onNanos = Math.round(period.toNanos() * fraction);
        return new DutyCycle(Duration.ofNanos(onNanos), period.minusNanos(onNanos));
    }

    /** The share of time on, in [0, 1]. */
    public double fraction() {
        return (double) on.toNanos() / period().toNanos();
    }

    public Duration period() {
        return on.plus(off);
    }

    /** Whether the action should run {@code elapsedNanos} after its cycle began. */
    public boolean isOn(long elapsedNanos) {
        if (off.isZero() || on.isZero()) {
            return off.isZero();
        }
        return Math.floorMod(elapsedNanos, period().toNanos()) < on.toNanos();
    }

    /** {@code "always"}, {@code "never"} or {@code "on 1 s of every 4 s"}. */
    public String describe() {
        if (off.isZero()) {
            return "always";
        }
        return on.isZero() ? "never" : "on " + Periods.describe(on) + " of every " + Periods.describe(period());
    }
}
