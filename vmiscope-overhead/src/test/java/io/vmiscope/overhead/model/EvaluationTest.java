package io.vmiscope.overhead.model;

import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.Observation;
import io.vmiscope.overhead.Prediction;
import io.vmiscope.overhead.SlowdownPredictor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EvaluationTest {

    private static final ActionProfile A = new ActionProfile("a", Set.of("f"), null, false);
    private static final ActionProfile B = new ActionProfile("b", Set.of("g"), null, false);
    private static final ActionProfile C = new ActionProfile("c", Set.of("h"), null, false);

    /** Predicts 0.10 for every combination. */
    private static final SlowdownPredictor TEN_PERCENT = (actions, rates, vcpus) -> new Prediction(0.10, 0.09, 0.11, Map.of());

    private static Observation run(String workload, double slowdown, ActionProfile... actions) {
        return new Observation("e", 0, workload, List.of(actions), 1, 100, 100 / (1 + slowdown), 10,
                Map.of("f", 10L), 0, List.of());
    }

    @Test
    void errorFigures_areRelativeToTheMeasuredSlowdown() {
        ErrorFigures figures = ErrorFigures.of(List.of(5.0, 10.0, 20.0, 45.0));

        assertThat(figures.combinations()).isEqualTo(4);
        assertThat(figures.mapePercent()).isEqualTo(20);
        assertThat(figures.percentWithin15()).isEqualTo(50);
        assertThat(figures.maxErrorPercent()).isEqualTo(45);
        assertThat(ErrorFigures.errorPercent(0.23, 0.20)).isCloseTo(15, within(1e-9));
    }

    @Test
    void repetitions_countOnceAtTheirMedian() {
        List<Observation> runs = List.of(run("w", 0.08, A), run("w", 0.10, A), run("w", 0.50, A));

        Evaluation evaluation = Evaluation.of(TEN_PERCENT, runs, new ObservationSplit(null));

        assertThat(evaluation.rows()).singleElement().satisfies(row -> {
            assertThat(row.measured().repetitions()).isEqualTo(3);
            assertThat(row.measured().measuredSlowdown()).isCloseTo(0.10, within(1e-9));
            assertThat(row.errorPercent()).isCloseTo(0, within(1e-6));
        });
    }

    @Test
    void groups_splitTrainingManyActionsAndTheHeldOutWorkload() {
        List<Observation> runs = List.of(run("w", 0.10, A), run("w", 0.125, A, B), run("w", 0.08, A, B, C),
                run("held", 0.2, A), run("held", 0.05, A, B, C));

        Evaluation evaluation = Evaluation.of(TEN_PERCENT, runs, new ObservationSplit("held"));

        assertThat(evaluation.rows(ValidationGroup.TRAINING)).hasSize(2);
        assertThat(evaluation.rows(ValidationGroup.MANY_ACTIONS)).hasSize(1);
        assertThat(evaluation.rows(ValidationGroup.HELD_OUT_WORKLOAD)).hasSize(2);
        ErrorFigures training = evaluation.figures(ValidationGroup.TRAINING).orElseThrow();
        assertThat(training.mapePercent()).isCloseTo(10, within(1e-6));
        ErrorFigures heldOut = evaluation.figures(ValidationGroup.HELD_OUT_WORKLOAD).orElseThrow();
        assertThat(heldOut.mapePercent()).isCloseTo((50 + 100) / 2.0, within(1e-6));
        assertThat(heldOut.percentWithin15()).isZero();
        assertThat(heldOut.maxErrorPercent()).isCloseTo(100, within(1e-6));
        ErrorFigures all = evaluation.validationFigures().orElseThrow();
        assertThat(all.combinations()).isEqualTo(3);
        assertThat(all.mapePercent()).isCloseTo((25 + 50 + 100) / 3.0, within(1e-6));
        assertThat(evaluation.figuresByGroup()).containsOnlyKeys(ValidationGroup.TRAINING.label(),
                ValidationGroup.MANY_ACTIONS.label(), ValidationGroup.HELD_OUT_WORKLOAD.label(), Evaluation.ALL_VALIDATION);
    }

    @Test
    void split_trainsOnOneAndTwoActionRunsOfTheOtherWorkloads() {
        List<Observation> runs = List.of(run("w", 0.1, A), run("w", 0.1, A, B), run("w", 0.1, A, B, C), run("held", 0.1, A));

        assertThat(new ObservationSplit("held").training(runs)).extracting(Observation::combination)
                .containsExactly("a", "a+b");
    }

    @Test
    void combinationThePredictorRefuses_isSkippedWithTheReason() {
        SlowdownPredictor onlyA = (actions, rates, vcpus) -> {
            if (actions.contains(B)) {
                throw new IllegalArgumentException("unknown action b");
            }
            return new Prediction(0.1, 0.1, 0.1, Map.of());
        };

        Evaluation evaluation = Evaluation.of(onlyA, List.of(run("w", 0.1, A), run("w", 0.1, A, B)), new ObservationSplit(null));

        assertThat(evaluation.rows()).hasSize(1);
        assertThat(evaluation.skipped()).containsExactly("w a+b: unknown action b");
    }

    @Test
    void pooledRates_takeEachSiteFromTheRunsThatHookedIt() {
        Observation hooked = new Observation("e", 0, "w", List.of(A), 1, 100, 50, 10, Map.of("f", 1000L), 0, List.of());
        Observation other = new Observation("e", 1, "w", List.of(B), 1, 120, 60, 10, Map.of("g", 300L), 0, List.of());

        var rates = WorkloadRates.pooled(List.of(hooked, other)).get("w");

        assertThat(rates.stopsPerOp()).containsOnlyKeys("f", "g");
        assertThat(rates.stopsPerOp().get("f")).isCloseTo(2.0, within(1e-12));
        assertThat(rates.stopsPerOp().get("g")).isCloseTo(0.5, within(1e-12));
        assertThat(rates.baselineOpsPerSecond()).isCloseTo(110, within(1e-12));
    }
}
