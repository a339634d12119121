package io.vmiscope.overhead.model;

/**
 * How much of its hot code a guest re-translates after a breakpoint stop, as a share of all of it,
 * given how long it runs until the next stop. Under TCG every stop discards all translated code
 * (docs/gdbstub.md), and the guest then re-translates what it executes: little when the next stop
 * comes a few instructions later, its whole working set when stops are rare. The share is
 * {@code 1 − exp(−(w / scale)^exponent)} for {@code w} seconds of unmonitored guest time between
 * stops; a scale of 0 means every stop costs the whole working set.
 *
 * @param scaleSeconds unmonitored guest time in which the guest touches most (63%) of its working set; ≥ 0
 * @param exponent     how fast the touched code grows with time, in (0, 1]: 1 is exponential saturation,
 *                     smaller values a longer tail of rarely run code
 */
public record RetranslationCurve(double scaleSeconds, double exponent) {

    public RetranslationCurve {
        if (!(scaleSeconds >= 0) || Double.isInfinite(scaleSeconds)) {
            throw new IllegalArgumentException("re-translation scale must be finite and ≥ 0 s, was " + scaleSeconds);
        }
        if (!(exponent > 0 && exponent <= 1)) {
            throw new IllegalArgumentException("re-translation exponent must be in (0, 1], was " + exponent);
        }
    }

    /** The share (0..1) of the working set re-translated when stops come {@code secondsBetweenStops} apart. */
    public double share(double secondsBetweenStops) {
        if (scaleSeconds == 0 || Double.isInfinite(secondsBetweenStops)) {
            return 1;
        }
        return -Math.expm1(-Math.pow(secondsBetweenStops / scaleSeconds, exponent));
    }
}
