package io.vmiscope.overhead.budget;

import java.time.Duration;
import java.util.Locale;

/** Periods as action specs write them ({@code 500ms}, {@code 5s}, {@code 2m}) and as people read them. */
final class Periods {

    private Periods() {
    }

    /** The shortest spec form that is exact: {@code 2m}, {@code 10s}, {@code 1500ms}. */
    static String spec(Duration period) {
        long millis = period.toMillis();
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /** {@code "4 s"}, {@code "0.5 s"}. */
    static String describe(Duration period) {
        double seconds = period.toNanos() / 1e9;
        return seconds == Math.rint(seconds) ? (long) seconds + " s" : String.format(Locale.ROOT, "%.2g s", seconds);
    }
}
