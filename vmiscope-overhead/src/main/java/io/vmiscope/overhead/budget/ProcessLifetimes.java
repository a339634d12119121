package io.vmiscope.overhead.budget;

import java.time.Duration;
import java.util.List;

/**
 * How long the processes born while the VM was watched lived: what decides how many of them a
 * periodic process snapshot catches. A process that lives {@code L} is in a snapshot taken every
 * {@code P} (at a random phase) with probability {@code min(1, L/P)}; processes that outlived the
 * watch count with the age they reached, so the share is a lower bound. Immutable.
 *
 * @param endedSeconds    lifetimes of processes born and ended while watched
 * @param censoredSeconds ages of processes born while watched and still alive at its end
 */
public record ProcessLifetimes(List<Double> endedSeconds, List<Double> censoredSeconds) {

    /** Nothing measured. */
    public static final ProcessLifetimes UNKNOWN = new ProcessLifetimes(List.of(), List.of());

    public ProcessLifetimes {
        endedSeconds = List.copyOf(endedSeconds);
        censoredSeconds = List.copyOf(censoredSeconds);
    }

    /** Whether any birth was seen. */
    public boolean known() {
        return !endedSeconds.isEmpty() || !censoredSeconds.isEmpty();
    }

    /**
     * The share of born processes a snapshot every {@code period} sees at least once; 0 when nothing
     * was measured (no credit is given for what cannot be estimated).
     */
    public double shareSeenEvery(Duration period) {
        if (!known()) {
            return 0;
        }
        double p = period.toNanos() / 1e9;
        double seen = 0;
        for (double l : endedSeconds) {
            seen += Math.min(1, l / p);
        }
        for (double l : censoredSeconds) {
            seen += Math.min(1, l / p);
        }
        return seen / (endedSeconds.size() + censoredSeconds.size());
    }
}
