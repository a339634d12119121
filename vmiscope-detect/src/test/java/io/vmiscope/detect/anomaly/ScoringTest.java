package io.vmiscope.detect.anomaly;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ScoringTest {

    private static AnomalyModel model(Method method, int window, int frame, int[]... normal) {
        ProgramModel program = new ProgramModel(window, 1000);
        for (int[] trace : normal) {
            program.train(trace);
        }
        return new AnomalyModel("test", new AnomalyModel.Settings(method, window, frame),
                AnomalyModel.Threshold.NONE, Map.of(AnomalyModel.ANY_PROGRAM, program));
    }

    @Test
    void stide_scoresATrainingTraceZero_andEachUnseenWindowOne() {
        AnomalyModel m = model(Method.STIDE, 3, 0, new int[] {1, 2, 3, 4, 1, 2, 3, 4});
        assertThat(m.score("any", new int[] {1, 2, 3, 4, 1, 2})).isZero();
        // 1 2 3 | 9 breaks the windows (2 3 9), (3 9 4), (9 4 1): 3 of 7 calls mismatch
        assertThat(m.score("any", new int[] {1, 2, 3, 9, 4, 1, 2})).isCloseTo(3.0 / 7, within(1e-12));
    }

    @Test
    void stide_judgesTheFirstCallsOnTheShorterWindowTheyHave() {
        AnomalyModel m = model(Method.STIDE, 3, 0, new int[] {1, 2, 3});
        assertThat(m.score("any", new int[] {2, 3})).isZero(); // (2) and (2 3) were seen
        assertThat(m.score("any", new int[] {3, 1})).isEqualTo(0.5); // (3) was seen, (3 1) was not
    }

    @Test
    void frameScore_isTheHighestMeanOfAnyFrame() {
        AnomalyModel m = model(Method.STIDE, 1, 2, new int[] {1});
        // per-call mismatches 0 1 1 0 0: frames of 2 have means .5 1 .5 0
        assertThat(m.score("any", new int[] {1, 7, 8, 1, 1})).isEqualTo(1.0);
        // shorter than a frame: the mean of its calls
        assertThat(m.score("any", new int[] {7})).isEqualTo(1.0);
    }

    @Test
    void markov_withWindowOne_isAWittenBellUnigram() {
        AnomalyModel m = model(Method.MARKOV, 1, 0, new int[] {1, 1, 1, 1});
        // one syscall kind: uniform guess 1/2 over {1, unseen}; N = 4 seen, T = 1 kind
        double seen = -log2((4 + 0.5) / 5);
        double unseen = -log2(0.5 / 5);
        assertThat(m.score("any", new int[] {1})).isCloseTo(seen, within(1e-6));
        assertThat(m.score("any", new int[] {7})).isCloseTo(unseen, within(1e-12));
        assertThat(m.score("any", new int[] {1, 7})).isCloseTo((seen + unseen) / 2, within(1e-6));
    }

    @Test
    void markov_interpolatesTheLongerContextWithTheShorter() {
        AnomalyModel m = model(Method.MARKOV, 2, 0, new int[] {1, 2, 1, 2, 1, 3});
        // after context (1): 2 twice, 3 once: C=3, T=2; unigram: 1 x3, 2 x2, 3 x1, N=6, T=3; uniform 1/4
        double unigram2 = (2 + 3 * 0.25) / (6 + 3);
        double bigram12 = (2 + 2 * unigram2) / (3 + 2);
        double unigram1 = (3 + 3 * 0.25) / (6 + 3);
        assertThat(m.score("any", new int[] {1, 2}))
                .isCloseTo((-log2(unigram1) - log2(bigram12)) / 2, within(1e-6));
    }

    @Test
    void markov_scoresAnUnusualOrderHigherThanTheTrainedOrder() {
        int[] normal = {5, 3, 3, 4, 6, 5, 3, 3, 4, 6, 5, 3, 3, 4, 6};
        AnomalyModel m = model(Method.MARKOV, 3, 5, normal);
        assertThat(m.score("any", new int[] {6, 4, 3, 3, 5, 6, 4, 3, 3, 5}))
                .isGreaterThan(m.score("any", new int[] {5, 3, 3, 4, 6, 5, 3, 3, 4, 6}) + 1);
    }

    @Test
    void trainer_choosesTheLowestScoreThatAtMostTheRateExceed() {
        assertThat(Trainer.threshold(java.util.List.of(5.0, 1.0, 3.0, 2.0, 4.0), 0.2)).isEqualTo(4.0);
        assertThat(Trainer.threshold(java.util.List.of(5.0, 1.0, 3.0, 2.0, 4.0), 0.0)).isEqualTo(5.0);
        assertThat(Trainer.threshold(java.util.List.of(5.0, 1.0, 3.0, 2.0, 4.0), 0.19)).isEqualTo(5.0);
    }

    @Test
    void trainer_aHeldOutRunOfAProgramNoOtherRunHad_doesNotMakeTheThresholdInfinite() {
        java.util.List<Trace> traces = new java.util.ArrayList<>();
        for (int i = 0; i < 9; i++) {
            traces.add(new Trace("/sbin/httpd", "t" + i, new int[] {0, 1, 3, 0, 1, 3}));
        }
        traces.add(new Trace("klogd", "once", new int[] {103, 103})); // the 10th: held out, and seen nowhere else
        AnomalyModel model = new Trainer(new AnomalyModel.Settings(Method.STIDE, 2, 3), 1000, 0.0, 5)
                .train("m", each -> traces.forEach(each), t -> { });
        assertThat(model.threshold().score()).isEqualTo(0.0);
        assertThat(model.threshold().heldOutTraces()).isEqualTo(1);
        assertThat(model.programs()).containsKeys("/sbin/httpd", "klogd");
    }

    @Test
    void programModel_refusesSequencesBeyondItsBound_andCountsThem() {
        ProgramModel p = new ProgramModel(2, 3);
        p.train(new int[] {1, 2, 3, 4});
        assertThat(p.sequences()).isEqualTo(3);
        assertThat(p.refused()).isPositive();
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
