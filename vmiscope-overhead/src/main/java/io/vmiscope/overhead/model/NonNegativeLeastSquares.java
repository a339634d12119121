package io.vmiscope.overhead.model;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.linear.SingularValueDecomposition;

import java.util.ArrayList;
import java.util.List;

/**
 * Least squares with every coefficient ≥ 0 (Lawson and Hanson, "Solving Least Squares Problems",
 * 1974, ch. 23): the model's costs are times, and a negative time would fit noise, not the guest.
 * The unconstrained steps use a pseudo-inverse, so collinear columns give a solution, not an error.
 */
final class NonNegativeLeastSquares {

    private static final double TOLERANCE = 1e-12;

    private NonNegativeLeastSquares() {
    }

    /** The x ≥ 0 that minimises |a·x − b|; {@code a} has one row per equation. */
    static double[] solve(double[][] a, double[] b) {
        RealMatrix matrix = new Array2DRowRealMatrix(a, false);
        RealVector target = new ArrayRealVector(b, false);
        int n = matrix.getColumnDimension();
        double[] x = new double[n];
        boolean[] passive = new boolean[n];
        double tolerance = TOLERANCE * Math.max(1, matrix.getFrobeniusNorm()) * Math.max(n, b.length);
        for (int iteration = 0; iteration < 3 * n + 3; iteration++) {
            double[] gradient = matrix.transpose().operate(target.subtract(matrix.operate(new ArrayRealVector(x)))).toArray();
            int entering = -1;
            for (int j = 0; j < n; j++) {
                if (!passive[j] && gradient[j] > tolerance && (entering < 0 || gradient[j] > gradient[entering])) {
                    entering = j;
                }
            }
            if (entering < 0) {
                return x;
            }
            passive[entering] = true;
            for (int inner = 0; inner <= n; inner++) {
                double[] trial = solveOn(matrix, target, passive);
                double step = 1;
                int leaving = -1;
                for (int j = 0; j < n; j++) {
                    if (passive[j] && trial[j] <= 0 && x[j] / (x[j] - trial[j]) < step) {
                        step = x[j] / (x[j] - trial[j]);
                        leaving = j;
                    }
                }
                if (leaving < 0) {
                    System.arraycopy(trial, 0, x, 0, n);
                    break;
                }
                for (int j = 0; j < n; j++) {
                    x[j] += step * (trial[j] - x[j]);
                    if (passive[j] && (j == leaving || x[j] <= 0)) {
                        passive[j] = false;
                        x[j] = 0;
                    }
                }
            }
        }
        return x;
    }

    /** The unconstrained least squares on the passive columns, zeros elsewhere. */
    private static double[] solveOn(RealMatrix matrix, RealVector target, boolean[] passive) {
        List<Integer> columns = new ArrayList<>();
        for (int j = 0; j < passive.length; j++) {
            if (passive[j]) {
                columns.add(j);
            }
        }
        double[] full = new double[passive.length];
        if (columns.isEmpty()) {
            return full;
        }
        int[] rows = new int[matrix.getRowDimension()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        RealMatrix sub = matrix.getSubMatrix(rows, columns.stream().mapToInt(Integer::intValue).toArray());
        RealVector solution = new SingularValueDecomposition(sub).getSolver().solve(target);
        for (int k = 0; k < columns.size(); k++) {
            full[columns.get(k)] = solution.getEntry(k);
        }
        return full;
    }
}
