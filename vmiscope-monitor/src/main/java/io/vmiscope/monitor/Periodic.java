package io.vmiscope.monitor;

import java.time.Duration;

/**
 * Work an action does at a fixed period.
 *
 * @param period  time between runs
 * @param pauseVm true when the VM stays paused for the whole run (a consistent view); false lets the
 *                VM run between the work's steps (less stopped time, a less consistent view)
 * @param work    the work
 */
public record Periodic(Duration period, boolean pauseVm, PeriodicWork work) {

    public Periodic {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
    }

    /** The work of one period. */
    @FunctionalInterface
    public interface PeriodicWork {
        void run(Tick tick);
    }
}
