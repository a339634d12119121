package io.vmiscope.overhead.budget;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Time-boxed variants of a hooking action: it runs 3/4, 1/2, 1/4 … 1/32 of every cycle. The cycle is
 * 4 s by default — long enough that starting and stopping the hooks is cheap beside it, short enough
 * that a measurement over a cycle follows the load — and longer for small fractions, so that each run
 * lasts at least {@link #SHORTEST_ON} (a run the controller can measure). Cost and coverage both scale
 * by the fraction ({@link DutyCycle}). Periodic actions are not time-boxed: a longer period does that
 * better.
 */
public final class DutyCycles {

    /** The default cycle length. */
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(4);
    /** The shortest run of a cycle. */
    static final Duration SHORTEST_ON = Duration.ofMillis(500);

    private static final double[] FRACTIONS = {0.75, 0.5, 0.25, 0.125, 0.0625, 0.03125};

    private DutyCycles() {
    }

    static List<Variant> of(Variant base, Duration period) {
        if (base.profile().periodic() || base.profile().sites().isEmpty()) {
            return List.of();
        }
        return Arrays.stream(FRACTIONS).mapToObj(f -> base.withDuty(DutyCycle.of(f, cycle(f, period)))).toList();
    }

    /** {@code period}, or longer so that the run lasts {@link #SHORTEST_ON}. */
    private static Duration cycle(double fraction, Duration period) {
        long least = (long) Math.ceil(SHORTEST_ON.toNanos() / fraction);
        return period.toNanos() >= least ? period : Duration.ofNanos(least);
    }
}
