package io.vmiscope.cli;

import io.vmiscope.overhead.budget.Budget;
import io.vmiscope.overhead.budget.WorkloadProbe;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalDouble;

/**
 * The live UI's safety net: once a second it estimates the VM's slowdown — the VM-stopped share of the
 * last seconds, or what a probed service shows when that is more (its latency sees what no counter sees)
 * — and says when the budget has been exceeded for {@value #OVER_SECONDS} seconds in a row, so that the
 * newest on-demand action is stopped. Confined to the session's clock thread.
 */
final class LiveBudgetGuard {

    /** Seconds over the budget before an action is stopped: one slow second is noise. */
    static final int OVER_SECONDS = 3;
    /** Seconds the probe's readings are averaged over. */
    static final int WINDOW_SECONDS = 5;

    private final WorkloadProbe probe;
    private final Deque<Double> probeLosses = new ArrayDeque<>();
    private int overSeconds;
    private volatile double estimate = Double.NaN;

    LiveBudgetGuard(WorkloadProbe probe) {
        this.probe = probe;
    }

    /**
     * One second more.
     *
     * @param stoppedShare the VM-stopped share of the last seconds
     * @return whether the budget has now been exceeded for {@value #OVER_SECONDS} seconds in a row (the
     *         count then starts again, with the probe's window)
     */
    boolean overBudgetAfter(double stoppedShare, Budget budget) {
        OptionalDouble reading = probe.slowdownSinceLastCall();
        if (reading.isPresent()) {
            double slowdown = Math.max(0, reading.getAsDouble());
            probeLosses.addLast(slowdown / (1 + slowdown));
            while (probeLosses.size() > WINDOW_SECONDS) {
                probeLosses.removeFirst();
            }
        }
        double lost = Math.max(stoppedShare, probeLosses.stream().mapToDouble(Double::doubleValue).average().orElse(0));
        estimate = lost >= 1 ? Double.POSITIVE_INFINITY : lost / (1 - lost);
        overSeconds = estimate > budget.maxSlowdown() ? overSeconds + 1 : 0;
        if (overSeconds < OVER_SECONDS) {
            return false;
        }
        overSeconds = 0;
        probeLosses.clear();
        return true;
    }

    /** The latest estimate of the VM's slowdown; empty before the first second. */
    OptionalDouble estimate() {
        double e = estimate;
        return Double.isNaN(e) ? OptionalDouble.empty() : OptionalDouble.of(Math.min(e, 1e9));
    }

    /** Whether a service is probed. */
    boolean probes() {
        return probe != WorkloadProbe.NONE;
    }
}
