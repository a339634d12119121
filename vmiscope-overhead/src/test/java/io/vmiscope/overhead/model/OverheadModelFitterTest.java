package io.vmiscope.overhead.model;

import io.vmiscope.overhead.Observation;
import io.vmiscope.overhead.model.SyntheticExperiment.Truth;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.vmiscope.overhead.model.SyntheticExperiment.COMPUTE;
import static io.vmiscope.overhead.model.SyntheticExperiment.FILE_IO;
import static io.vmiscope.overhead.model.SyntheticExperiment.HTTPD;
import static io.vmiscope.overhead.model.SyntheticExperiment.SHELL_LOOP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

class OverheadModelFitterTest {

    private static final Truth TRUTH = Truth.typical();
    private static final OverheadModelFitter FITTER = new OverheadModelFitter(FitOptions.defaults());

    private static List<Observation> singlesAndPairs(double noise, long seed) {
        return new SyntheticExperiment(TRUTH, noise, seed)
                .runs(List.of(SHELL_LOOP, HTTPD, COMPUTE), SyntheticExperiment.combinations(2), 3);
    }

    @Test
    void noiselessRuns_giveBackTheTrueCosts() {
        OverheadModel model = FITTER.fit(singlesAndPairs(0, 1));

        Calibration calibration = model.calibration();
        assertThat(calibration.baseStopSeconds()).isCloseTo(TRUTH.baseStop(), withinPercentage(1));
        assertThat(calibration.baseStopSecondsPerVcpu()).isCloseTo(TRUTH.baseStopPerVcpu(), withinPercentage(1));
        TRUTH.ownPerHit().forEach((action, seconds) ->
                assertThat(calibration.ownSecondsPerHit(action)).as(action).isCloseTo(seconds, withinPercentage(1)));
        TRUTH.stoppedPerRun().forEach((action, seconds) ->
                assertThat(calibration.stoppedSecondsPerRun(action)).as(action).isCloseTo(seconds, withinPercentage(1)));

        FittedCosts fitted = model.fitted();
        assertThat(fitted.retranslationSeconds()).isCloseTo(TRUTH.retranslation(), withinPercentage(5));
        assertThat(fitted.curve().scaleSeconds()).isCloseTo(TRUTH.scale(), withinPercentage(10));
        assertThat(fitted.curve().exponent()).isEqualTo(TRUTH.exponent());
        assertThat(fitted.extraSecondsPerStopPerVcpu()).isCloseTo(TRUTH.extraPerStopPerVcpu(), withinPercentage(5));
        assertThat(fitted.extraSecondsPerHit("syscalls:process")).isCloseTo(2e-3, withinPercentage(5));
        assertThat(fitted.extraSecondsPerHit("files")).isLessThan(1e-5);
        assertThat(fitted.extraSecondsPerRun("pslist:1s")).isCloseTo(5e-3, withinPercentage(5));
        assertThat(fitted.queueFactor()).isCloseTo(TRUTH.queueFactor(), withinPercentage(10));
        assertThat(model.training().inSample().maxErrorPercent()).isLessThan(1);
    }

    @Test
    void noisyRuns_predictHeldOutCombinationsWithinTheTarget() {
        List<Observation> runs = new SyntheticExperiment(TRUTH, 0.03, 2)
                .runs(SyntheticExperiment.WORKLOADS, SyntheticExperiment.combinations(4), 3);

        ModelValidation.ValidatedModel validated = ModelValidation.fitAndValidate(runs, FILE_IO.name(), FitOptions.defaults());

        Evaluation evaluation = validated.evaluation();
        assertThat(evaluation.rows(ValidationGroup.TRAINING)).hasSize(3 * (6 + 15));
        assertThat(evaluation.rows(ValidationGroup.MANY_ACTIONS)).hasSize(3 * (20 + 15));
        assertThat(evaluation.rows(ValidationGroup.HELD_OUT_WORKLOAD)).hasSize(6 + 15 + 20 + 15);
        ErrorFigures validation = evaluation.validationFigures().orElseThrow();
        assertThat(validation.mapePercent()).isLessThan(5);
        assertThat(validation.percentWithin15()).isGreaterThanOrEqualTo(95);
        assertThat(validation.meetsTarget()).isTrue();
        assertThat(validated.model().validation().heldOutWorkload()).isEqualTo(FILE_IO.name());
        assertThat(validated.model().validation().figuresByGroup()).containsKeys(Evaluation.ALL_VALIDATION,
                ValidationGroup.HELD_OUT_WORKLOAD.label());
    }

    @Test
    void interval_holdsMostMeasuredSlowdowns() {
        List<Observation> runs = new SyntheticExperiment(TRUTH, 0.05, 3)
                .runs(SyntheticExperiment.WORKLOADS, SyntheticExperiment.combinations(3), 1);

        ModelValidation.ValidatedModel validated = ModelValidation.fitAndValidate(runs, HTTPD.name(), FitOptions.defaults());

        List<ComparedCombination> held = validated.evaluation().rows().stream()
                .filter(r -> r.group() != ValidationGroup.TRAINING).toList();
        long inside = held.stream().filter(ComparedCombination::insideInterval).count();
        assertThat((double) inside / held.size()).isGreaterThan(0.75);
        PredictionInterval interval = validated.model().interval();
        assertThat(interval.lowFactor()).isBetween(0.8, 1.0);
        assertThat(interval.highFactor()).isBetween(1.0, 1.25);
    }

    @Test
    void workingSetsThatDiffer_getARetranslationCostPerWorkload() {
        Truth truth = TRUTH.withWorkingSets(Map.of("shell-loop", 1.6, "httpd", 1.0, "compute", 0.5));
        List<Observation> runs = new SyntheticExperiment(truth, 0.02, 8)
                .runs(List.of(SHELL_LOOP, HTTPD, COMPUTE, FILE_IO), SyntheticExperiment.combinations(3), 2);

        ModelValidation.ValidatedModel validated = ModelValidation.fitAndValidate(runs, FILE_IO.name(), FitOptions.defaults());

        FittedCosts fitted = validated.model().fitted();
        assertThat(fitted.retranslationByWorkload()).containsOnlyKeys("compute", "httpd", "shell-loop");
        Map<String, Double> own = fitted.retranslationByWorkload();
        assertThat(own.get("shell-loop")).isGreaterThan(own.get("httpd"));
        assertThat(own.get("httpd")).isGreaterThan(own.get("compute"));
        assertThat(fitted.retranslationSeconds()).isBetween(own.get("compute"), own.get("shell-loop"));
        assertThat(validated.model().training().notes()).anyMatch(n -> n.startsWith("costs fitted per workload"));
        assertThat(validated.evaluation().figures(ValidationGroup.MANY_ACTIONS).orElseThrow().meetsTarget()).isTrue();
    }

    @Test
    void workloadKnownOnlyFromItsSingleActions_isPredictedWithinTheTarget() {
        Truth truth = TRUTH.withWorkingSets(Map.of("shell-loop", 1.6, "httpd", 1.0, "compute", 0.5, "file-io", 1.3))
                .withArmed(Map.of("files@shell-loop", 0.4, "files@httpd", 0.1, "files@file-io", 0.6,
                        "syscalls:read@compute", 0.3, "syscalls:read@file-io", 0.05));
        List<Observation> runs = new SyntheticExperiment(truth, 0.02, 9)
                .runs(SyntheticExperiment.WORKLOADS, SyntheticExperiment.combinations(3), 2);

        ModelValidation.ValidatedModel validated = ModelValidation.fitAndValidate(runs, FILE_IO.name(),
                ObservationSplit.SINGLES, FitOptions.defaults());

        FittedCosts fitted = validated.model().fitted();
        assertThat(fitted.retranslationByWorkload()).containsKey(FILE_IO.name());
        assertThat(validated.model().training().notes()).anyMatch(n -> n.startsWith("costs fitted per workload"));
        ErrorFigures heldOut = validated.evaluation().figures(ValidationGroup.HELD_OUT_WORKLOAD).orElseThrow();
        assertThat(heldOut.meetsTarget()).as("%s", heldOut).isTrue();
    }

    @Test
    void trainingWithoutSingleActionRuns_isRefused() {
        List<Observation> pairsOnly = singlesAndPairs(0, 4).stream().filter(o -> o.actions().size() == 2).toList();

        assertThatThrownBy(() -> FITTER.fit(pairsOnly))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no single-action run among the " + pairsOnly.size()
                        + " training runs: the fit needs every action measured alone");
    }

    @Test
    void actionNeverMeasuredAlone_isNamed() {
        List<Observation> runs = singlesAndPairs(0, 5).stream()
                .filter(o -> !(o.actions().size() == 1 && o.actions().get(0).id().equals("files")))
                .toList();

        assertThatThrownBy(() -> FITTER.fit(runs))
                .hasMessage("never measured alone: files; the fit needs every action measured alone");
    }

    @Test
    void singleVcpuCount_leavesTheVcpuTermOut_andSaysSo() {
        List<Observation> runs = new SyntheticExperiment(TRUTH, 0, 6)
                .runs(List.of(SHELL_LOOP, FILE_IO), SyntheticExperiment.combinations(2), 1);

        OverheadModel model = FITTER.fit(runs);

        assertThat(model.fitted().extraSecondsPerStopPerVcpu()).isZero();
        assertThat(model.training().notes()).contains("vCPU term not fitted: every training run had 1 vCPU");
    }

    @Test
    void heldOutWorkloadWithoutRuns_isRefused() {
        assertThatThrownBy(() -> ModelValidation.fitAndValidate(singlesAndPairs(0, 7), "nginx", FitOptions.defaults()))
                .hasMessage("no runs of held-out workload nginx (workloads: compute, httpd, shell-loop)");
    }
}
