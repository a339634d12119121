package io.vmiscope.overhead.report;

import io.vmiscope.overhead.Prediction;

import java.util.Comparator;
import java.util.Locale;
import java.util.Map;

/** {@code overhead predict}'s answer for people: the slowdown, its interval, and each action's share. */
public final class PredictionText {

    private PredictionText() {
    }

    /**
     * E.g. {@code predicted slowdown 23.4% (90% interval 19.0% – 28.1%)} followed by one line per
     * action, largest share first.
     *
     * @param coverage the interval's coverage (the model's {@code interval().coverage()})
     */
    public static String describe(Prediction prediction, double coverage) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "predicted slowdown %s (%.0f%% interval %s – %s)%n", ErrorTable.percent(prediction.slowdown()),
                100 * coverage, ErrorTable.percent(prediction.low()), ErrorTable.percent(prediction.high())));
        prediction.perAction().entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .forEach(share -> text.append("  ").append(share.getKey()).append(": ")
                        .append(ErrorTable.percent(share.getValue())).append('\n'));
        return text.toString();
    }
}
