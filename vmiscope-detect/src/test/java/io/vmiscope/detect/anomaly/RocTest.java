package io.vmiscope.detect.anomaly;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.DoubleStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RocTest {

    @Test
    void figures_ofAHandMadeExample() {
        Roc roc = new Roc(new double[] {0.1, 0.2, 0.3, 0.4}, new double[] {0.35, 0.5});
        assertThat(roc.auc()).isEqualTo((3 + 4) / 8.0);
        assertThat(roc.detectionAtFalseAlarms(0.0)).isEqualTo(0.5);
        assertThat(roc.detectionAtFalseAlarms(0.25)).isEqualTo(1.0);
        assertThat(roc.falseAlarmsAtDetection(0.9)).isEqualTo(0.25);
    }

    @Property(tries = 300)
    void auc_equalsTheBruteForcePairwiseCount_tiesHalf(@ForAll @Size(min = 1, max = 30) List<@IntRange(max = 8) Integer> normal,
                                                       @ForAll @Size(min = 1, max = 30) List<@IntRange(max = 8) Integer> attack) {
        double[] n = normal.stream().mapToDouble(Integer::doubleValue).toArray();
        double[] a = attack.stream().mapToDouble(Integer::doubleValue).toArray();
        double wins = 0;
        for (double x : a) {
            for (double y : n) {
                wins += x > y ? 1 : x == y ? 0.5 : 0;
            }
        }
        assertThat(new Roc(n, a).auc()).isCloseTo(wins / (n.length * a.length), within(1e-12));
    }

    @Property(tries = 300)
    void rates_equalABruteForceSweepOverEveryThreshold(@ForAll @Size(min = 1, max = 30) List<@IntRange(max = 8) Integer> normal,
                                                       @ForAll @Size(min = 1, max = 30) List<@IntRange(max = 8) Integer> attack) {
        double[] n = normal.stream().mapToDouble(Integer::doubleValue).toArray();
        double[] a = attack.stream().mapToDouble(Integer::doubleValue).toArray();
        double bestDr = 0;
        double bestFar = 1;
        for (double t = -1; t <= 10; t += 0.5) {
            final double th = t;
            double far = DoubleStream.of(n).filter(x -> x >= th).count() / (double) n.length;
            double dr = DoubleStream.of(a).filter(x -> x >= th).count() / (double) a.length;
            if (far <= 0.05) {
                bestDr = Math.max(bestDr, dr);
            }
            if (dr >= 0.9) {
                bestFar = Math.min(bestFar, far);
            }
        }
        Roc roc = new Roc(n, a);
        assertThat(roc.detectionAtFalseAlarms(0.05)).isEqualTo(bestDr);
        assertThat(roc.falseAlarmsAtDetection(0.9)).isEqualTo(bestFar);
    }
}
