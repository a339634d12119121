package io.vmiscope.events;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as action specs and command options write them: {@code 500ms}, {@code 5s}, {@code 2m}, at
 * least 100 ms. The one parser and formatter of such text.
 */
public final class Durations {

    private static final Pattern TEXT = Pattern.compile("(\\d{1,9})(ms|s|m)");

    private Durations() {
    }

    /**
     * @param what names the value in the message, e.g. {@code --window}
     * @throws IllegalArgumentException with one line for text that is no such duration or under 100 ms
     */
    public static Duration parse(String what, String text) {
        Matcher m = TEXT.matcher(String.valueOf(text));
        if (!m.matches()) {
            throw new IllegalArgumentException(what + " needs a duration like 500ms, 5s or 1m, not '"
                    + OneLine.of(text, 40) + "'");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
        if (d.compareTo(ActionSpec.SHORTEST_PERIOD) < 0) {
            throw new IllegalArgumentException(what + ": the duration must be at least 100ms, not " + text);
        }
        return d;
    }

    /** Whole seconds where exact ({@code 5s}, {@code 120s}), else milliseconds ({@code 1500ms}): how action ids write periods. */
    public static String format(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
