package io.vmiscope.overhead.budget;

import java.time.Duration;
import java.util.Locale;

/** Periods as people read them. */
final class Periods {

    private Periods() {
    }

    /** {@code "4 s"}, {@code "0.5 s"}. */
    static String describe(Duration period) {
        double seconds = period.toNanos() / 1e9;
        return seconds == Math.rint(seconds) ? (long) seconds + " s" : String.format(Locale.ROOT, "%.2g s", seconds);
    }
}
