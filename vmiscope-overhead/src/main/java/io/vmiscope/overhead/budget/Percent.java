package io.vmiscope.overhead.budget;

import java.util.Locale;

/** Fractions written as percentages for people: {@code 0.0512} → {@code "5.1%"}. */
public final class Percent {

    private Percent() {
    }

    public static String of(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }
}
