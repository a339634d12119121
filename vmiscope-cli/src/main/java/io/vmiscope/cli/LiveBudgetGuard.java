package io.vmiscope.cli;

import io.vmiscope.overhead.budget.Budget;

import java.util.OptionalDouble;

/**
 * The live UI's safety net: once a second it takes the VM-stopped share of the last seconds as the VM's
 * slowdown and says when the budget has been exceeded for {@value #OVER_SECONDS} seconds in a row, so
 * that the newest on-demand action is stopped. Stopped time misses TCG's re-translation, so this is a
 * lower bound; a service probe (as {@code monitor --budget --probe-url} has) is not used here because its
 * requests would show up in the very data the analyst is looking at (busybox httpd forks per request).
 * Confined to the session's clock thread.
 */
final class LiveBudgetGuard {

    /** Seconds over the budget before an action is stopped: one slow second is noise. */
    static final int OVER_SECONDS = 3;

    private int overSeconds;
    private volatile double estimate = Double.NaN;

    /**
     * One second more.
     *
     * @param stoppedShare the VM-stopped share of the last seconds
     * @return whether the budget has now been exceeded for {@value #OVER_SECONDS} seconds in a row (the
     *         count then starts again)
     */
    boolean overBudgetAfter(double stoppedShare, Budget budget) {
        double lost = Math.max(0, stoppedShare);
        estimate = lost >= 1 ? Double.POSITIVE_INFINITY : lost / (1 - lost);
        overSeconds = estimate > budget.maxSlowdown() ? overSeconds + 1 : 0;
        if (overSeconds < OVER_SECONDS) {
            return false;
        }
        overSeconds = 0;
        return true;
    }

    /** The latest estimate of the VM's slowdown; empty before the first second. */
    OptionalDouble estimate() {
        double e = estimate;
        return Double.isNaN(e) ? OptionalDouble.empty() : OptionalDouble.of(Math.min(e, 1e9));
    }
}
