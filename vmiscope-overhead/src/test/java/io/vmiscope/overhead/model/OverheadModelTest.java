package io.vmiscope.overhead.model;

import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.HookRates;
import io.vmiscope.overhead.Prediction;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class OverheadModelTest {

    private static final ActionProfile TRACE_EXEC = new ActionProfile("syscalls:execve", Set.of("__x64_sys_execve"), null, false);
    private static final ActionProfile PROCEVENTS = new ActionProfile("procevents", Set.of("__x64_sys_execve", "do_exit"), null, false);
    private static final ActionProfile PSLIST = new ActionProfile("pslist:1s", Set.of(), Duration.ofSeconds(1), true);
    private static final ActionProfile MODULES = new ActionProfile("modules:1s", Set.of(), Duration.ofSeconds(1), false);

    /** 100 execve/s and 50 exits/s; 1 ms per stop, 4 ms re-translation; handlers 0.2 and 0.3 ms. */
    private static final HookRates RATES = new HookRates("loop", 100, Map.of("__x64_sys_execve", 1.0, "do_exit", 0.5));

    private static OverheadModel model(double queueFactor, PredictionInterval interval) {
        Calibration calibration = new Calibration(1e-3, 0.5e-3, Map.of("syscalls:execve", 0.2e-3, "procevents", 0.3e-3),
                Map.of("pslist:1s", 0.1, "modules:1s", 0.02));
        FittedCosts fitted = new FittedCosts(4e-3, Map.of(), new RetranslationCurve(0, 1), 0,
                Map.of("syscalls:execve", 0.0, "procevents", 0.0), Map.of("pslist:1s", 0.0, "modules:1s", 0.0), queueFactor,
                Map.of());
        return new OverheadModel(OverheadModel.FORMAT_VERSION, calibration, fitted, interval, null, null);
    }

    private static final OverheadModel MODEL = model(0, new PredictionInterval(0.9, 0.8, 1.25, 20));

    @Test
    void sharedSite_stopsOnce_andPaysEachHandler() {
        Prediction both = MODEL.predict(List.of(TRACE_EXEC, PROCEVENTS), RATES, 1);

        double execveStops = 100 * (1e-3 + 4e-3 + 0.2e-3 + 0.3e-3);
        double exitStops = 50 * (1e-3 + 4e-3 + 0.3e-3);
        assertThat(both.slowdown()).isCloseTo(execveStops + exitStops, within(1e-12));
        double alone = MODEL.predict(List.of(TRACE_EXEC), RATES, 1).slowdown()
                + MODEL.predict(List.of(PROCEVENTS), RATES, 1).slowdown();
        assertThat(both.slowdown()).isCloseTo(alone - 100 * 5e-3, within(1e-12));
    }

    @Test
    void sharedSite_splitsTheCommonStopCostEvenly() {
        Prediction both = MODEL.predict(List.of(TRACE_EXEC, PROCEVENTS), RATES, 1);

        assertThat(both.perAction().get("syscalls:execve")).isCloseTo(100 * (2.5e-3 + 0.2e-3), within(1e-12));
        assertThat(both.perAction().get("procevents"))
                .isCloseTo(100 * (2.5e-3 + 0.3e-3) + 50 * (5e-3 + 0.3e-3), within(1e-12));
    }

    @Test
    void pausedPeriodicAction_multipliesTheHookSlowdown() {
        double hooks = MODEL.predict(List.of(TRACE_EXEC), RATES, 1).slowdown();
        double pauses = MODEL.predict(List.of(PSLIST), RATES, 1).slowdown();

        Prediction both = MODEL.predict(List.of(TRACE_EXEC, PSLIST), RATES, 1);

        assertThat(pauses).isCloseTo(1 / 0.9 - 1, within(1e-12));
        assertThat(both.slowdown()).isCloseTo((1 + hooks) * (1 + pauses) - 1, within(1e-12));
        assertThat(both.slowdown()).isGreaterThan(hooks + pauses);
    }

    @Test
    void shares_addUpToTheSlowdown() {
        Prediction prediction = MODEL.predict(List.of(TRACE_EXEC, PROCEVENTS, PSLIST, MODULES), RATES, 2);

        double sum = prediction.perAction().values().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(sum).isCloseTo(prediction.slowdown(), within(1e-12));
        assertThat(prediction.perAction()).containsOnlyKeys("syscalls:execve", "procevents", "pslist:1s", "modules:1s");
    }

    @Test
    void moreVcpus_costMorePerStop() {
        double one = MODEL.predict(List.of(TRACE_EXEC), RATES, 1).slowdown();
        double four = MODEL.predict(List.of(TRACE_EXEC), RATES, 4).slowdown();

        assertThat(four - one).isCloseTo(100 * 3 * 0.5e-3, within(1e-12));
    }

    @Test
    void unpausedPeriodicRun_delaysStopsThatQueueBehindIt() {
        OverheadModel queueing = model(2, MODEL.interval());
        double without = MODEL.predict(List.of(TRACE_EXEC, MODULES), RATES, 1).slowdown();
        double with = queueing.predict(List.of(TRACE_EXEC, MODULES), RATES, 1).slowdown();

        double queue = 2 * 100 * 0.02 * 0.02 / 2;
        assertThat(with - without).isCloseTo(queue / (1 - 0.02), within(1e-12));
    }

    @Test
    void interval_scalesThePrediction() {
        Prediction prediction = MODEL.predict(List.of(TRACE_EXEC), RATES, 1);

        assertThat(prediction.low()).isCloseTo(0.8 * prediction.slowdown(), within(1e-12));
        assertThat(prediction.high()).isCloseTo(1.25 * prediction.slowdown(), within(1e-12));
    }

    @Test
    void periodicRunsThatNeverEnd_predictAnInfiniteSlowdown() {
        ActionProfile constant = new ActionProfile("pslist:1s", Set.of(), Duration.ofMillis(100), true);

        Prediction prediction = MODEL.predict(List.of(constant), RATES, 1);

        assertThat(prediction.slowdown()).isInfinite();
    }

    @Test
    void unknownAction_isRefusedWithTheKnownOnes() {
        ActionProfile files = new ActionProfile("files", Set.of("__x64_sys_openat"), null, false);

        assertThatThrownBy(() -> MODEL.predict(List.of(files), RATES, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the model was not fitted on action files (it knows modules:1s, procevents, pslist:1s, syscalls:execve)");
    }

    @Test
    void aFittedWalkAtAnotherPeriod_costsTheSamePerRun_andIsPredictedAsOftenAsItRuns() {
        ActionProfile everyTwoSeconds = new ActionProfile("pslist:2s", Set.of(), Duration.ofSeconds(2), true);
        ActionProfile unpaused = new ActionProfile("pslist:2s:unpaused", Set.of(), Duration.ofSeconds(2), false);

        assertThat(MODEL.fittedId(everyTwoSeconds)).contains("pslist:1s");
        assertThat(MODEL.predict(List.of(everyTwoSeconds), RATES, 1).slowdown()).isCloseTo(1 / 0.95 - 1, within(1e-12));
        assertThat(MODEL.fittedId(unpaused)).as("an unpaused walk is another kind").isEmpty();
        assertThatThrownBy(() -> MODEL.predict(List.of(unpaused), RATES, 1))
                .hasMessageStartingWith("the model was not fitted on action pslist:2s:unpaused");
    }

    @Test
    void sameActionTwice_isRefused() {
        assertThatThrownBy(() -> MODEL.predict(List.of(TRACE_EXEC, TRACE_EXEC), RATES, 1))
                .hasMessage("action syscalls:execve is listed twice");
    }

    @Test
    void retranslationCurve_costsLessWhenStopsComeCloseTogether() {
        RetranslationCurve curve = new RetranslationCurve(1e-3, 1);

        assertThat(curve.share(1e-4)).isCloseTo(-Math.expm1(-0.1), within(1e-12));
        assertThat(curve.share(1)).isCloseTo(1, within(1e-9));
        assertThat(curve.share(Double.POSITIVE_INFINITY)).isEqualTo(1);
        assertThat(new RetranslationCurve(0, 1).share(1e-9)).isEqualTo(1);
    }
}
