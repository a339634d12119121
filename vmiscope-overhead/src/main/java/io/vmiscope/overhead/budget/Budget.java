package io.vmiscope.overhead.budget;

import io.vmiscope.overhead.Prediction;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A VM's overhead budget: the largest slowdown the monitoring may cause it (0.10: the guest may run at
 * most 10% slower than unmonitored). Immutable.
 *
 * @param maxSlowdown the largest allowed slowdown, in (0, 10]
 */
public record Budget(double maxSlowdown) {

    /** A budget above 1000% would not be a budget: monitoring at that cost is better done without one. */
    static final double LARGEST = 10.0;

    /** The largest budget: what a plan that must start whatever it costs is made against. */
    public static final Budget MOST = new Budget(LARGEST);

    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)(%?)");

    public Budget {
        if (!(maxSlowdown > 0 && maxSlowdown <= LARGEST)) {
            throw new IllegalArgumentException("budget must be above 0% and at most 1000%, was " + Percent.of(maxSlowdown));
        }
    }

    /**
     * {@code "10%"} or {@code "0.1"}: both mean 10%.
     *
     * @throws IllegalArgumentException with one line saying what is wrong
     */
    public static Budget parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("budget must look like 10% or 0.1, not '" + text + "'");
        }
        double value = Double.parseDouble(m.group(1));
        return new Budget(m.group(2).isEmpty() ? value : value / 100);
    }

    /**
     * Whether a prediction fits: judged on the upper end of its interval, so that a plan that fits keeps
     * the VM inside the budget even when the prediction errs upwards as far as the model expects.
     */
    public boolean fits(Prediction prediction) {
        return prediction.high() <= maxSlowdown;
    }

    @Override
    public String toString() {
        return Percent.of(maxSlowdown);
    }
}
