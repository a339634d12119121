package io.vmiscope.overhead.model;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class NonNegativeLeastSquaresTest {

    @Test
    void consistentSystem_givesItsNonNegativeSolution() {
        double[][] a = {{1, 2}, {3, 1}, {1, 1}};
        double[] b = {1 * 2 + 2 * 0.5, 3 * 2 + 0.5, 2.5};

        assertThat(NonNegativeLeastSquares.solve(a, b)).containsExactly(new double[]{2, 0.5}, within(1e-9));
    }

    @Test
    void negativeUnconstrainedSolution_isClampedToZero_andTheRestRefitted() {
        double[][] a = {{1, 1}, {1, 2}, {1, 3}};
        double[] b = {3, 2, 1};

        assertThat(NonNegativeLeastSquares.solve(a, b)).containsExactly(new double[]{2, 0}, within(1e-9));
    }

    @Test
    void collinearColumns_stillGiveAFit() {
        double[][] a = {{1, 1}, {2, 2}};
        double[] b = {2, 4};

        double[] x = NonNegativeLeastSquares.solve(a, b);

        assertThat(x[0] + x[1]).isCloseTo(2, within(1e-9));
        assertThat(Math.min(x[0], x[1])).isGreaterThanOrEqualTo(0);
    }

    @Test
    void solution_meetsTheOptimalityConditions() {
        Random random = new Random(7);
        for (int trial = 0; trial < 50; trial++) {
            double[][] a = new double[12][5];
            double[] b = new double[12];
            for (int i = 0; i < 12; i++) {
                for (int j = 0; j < 5; j++) {
                    a[i][j] = random.nextGaussian();
                }
                b[i] = random.nextGaussian();
            }

            double[] x = NonNegativeLeastSquares.solve(a, b);

            // Karush–Kuhn–Tucker: x ≥ 0, gradient Aᵀ(b − Ax) ≤ 0, and = 0 where x > 0
            for (int j = 0; j < 5; j++) {
                double gradient = 0;
                for (int i = 0; i < 12; i++) {
                    double residual = b[i];
                    for (int k = 0; k < 5; k++) {
                        residual -= a[i][k] * x[k];
                    }
                    gradient += a[i][j] * residual;
                }
                assertThat(x[j]).isGreaterThanOrEqualTo(0);
                assertThat(gradient).isLessThan(1e-8);
                if (x[j] > 0) {
                    assertThat(gradient).isCloseTo(0, within(1e-8));
                }
            }
        }
    }
}
