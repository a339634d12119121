package io.vmiscope.detect.anomaly;

import java.util.Locale;

/** How a program model judges a syscall: the ways of scoring that {@code --method} names. */
public enum Method {

    /**
     * STIDE (Forrest et al. 1996): a call whose window of the last {@code window} calls never occurred in
     * training is a mismatch (1), else 0; a trace's score is the highest share of mismatches in any frame.
     */
    STIDE {
        @Override
        ProgramScorer compile(ProgramModel model) {
            return new StideScorer(model);
        }
    },

    /**
     * A variable-order Markov model: each call's surprisal in bits, {@code -log2 P(call | previous window-1
     * calls)}, with Witten-Bell smoothing that interpolates every shorter context down to a uniform guess; a
     * trace's score is the highest mean surprisal in any frame (a length-normalised score).
     */
    MARKOV {
        @Override
        ProgramScorer compile(ProgramModel model) {
            return new MarkovScorer(model);
        }
    };

    /** The read-only scorer of one trained program. */
    abstract ProgramScorer compile(ProgramModel model);

    /** The name as {@code --method} and model files spell it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The method {@code --method} names. */
    public static Method of(String label) {
        for (Method m : values()) {
            if (m.label().equals(label)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + label + "'; known: stide, markov");
    }
}
