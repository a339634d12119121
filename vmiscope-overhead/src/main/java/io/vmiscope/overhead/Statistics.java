package io.vmiscope.overhead;

import org.apache.commons.math3.stat.descriptive.rank.Median;

import java.util.Collection;

/** Medians, as the model and the reports take them (commons-math's: the middle two averaged for an even count). */
public final class Statistics {

    private Statistics() {
    }

    /** The median; NaN for none. */
    public static double median(double... values) {
        return new Median().evaluate(values);
    }

    /** The median; NaN for none. */
    public static double median(Collection<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
