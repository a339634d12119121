package io.vmiscope.detect.anomaly;

import java.util.Arrays;

/**
 * Trace-level ROC figures of anomaly scores (higher = more anomalous; a trace is flagged when its score is at
 * or above the threshold). Every distinct score is a threshold, so the figures are exact, ties included.
 * Immutable.
 */
public final class Roc {

    private final double[] normal;
    private final double[] attack;

    /** Figures for these scores of normal and attack traces (copied, both non-empty). */
    public Roc(double[] normalScores, double[] attackScores) {
        if (normalScores.length == 0 || attackScores.length == 0) {
            throw new IllegalArgumentException("a ROC needs normal and attack traces, got "
                    + normalScores.length + " and " + attackScores.length);
        }
        normal = normalScores.clone();
        attack = attackScores.clone();
        Arrays.sort(normal);
        Arrays.sort(attack);
    }

    /** The area under the ROC curve: the chance that an attack trace outscores a normal one, ties counting half. */
    public double auc() {
        double wins = 0;
        for (double a : attack) {
            int below = lowerBound(normal, a);
            int notAbove = upperBound(normal, a);
            wins += below + 0.5 * (notAbove - below);
        }
        return wins / ((double) normal.length * attack.length);
    }

    /** The highest detection rate at any threshold whose false-alarm rate is at most {@code maxFar}. */
    public double detectionAtFalseAlarms(double maxFar) {
        double best = 0;
        for (double t : thresholds()) {
            if (falseAlarms(t) <= maxFar + 1e-12) {
                best = Math.max(best, detections(t));
            }
        }
        return best;
    }

    /** The lowest false-alarm rate at any threshold whose detection rate is at least {@code minDr}. */
    public double falseAlarmsAtDetection(double minDr) {
        double best = 1;
        for (double t : thresholds()) {
            if (detections(t) >= minDr - 1e-12) {
                best = Math.min(best, falseAlarms(t));
            }
        }
        return best;
    }

    /** The share of normal traces at or above {@code threshold}. */
    public double falseAlarms(double threshold) {
        return (double) (normal.length - lowerBound(normal, threshold)) / normal.length;
    }

    /** The share of attack traces at or above {@code threshold}. */
    public double detections(double threshold) {
        return (double) (attack.length - lowerBound(attack, threshold)) / attack.length;
    }

    private double[] thresholds() {
        double[] all = new double[normal.length + attack.length + 1];
        System.arraycopy(normal, 0, all, 0, normal.length);
        System.arraycopy(attack, 0, all, normal.length, attack.length);
        all[all.length - 1] = Double.POSITIVE_INFINITY;
        return Arrays.stream(all).distinct().toArray();
    }

    /** The first index whose value is not below {@code value}. */
    private static int lowerBound(double[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The first index whose value is above {@code value}. */
    private static int upperBound(double[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
