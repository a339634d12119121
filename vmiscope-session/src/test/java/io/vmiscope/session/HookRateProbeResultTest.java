package io.vmiscope.session;

import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.HookRates;
import io.vmiscope.overhead.Prediction;
import io.vmiscope.overhead.SlowdownPredictor;
import io.vmiscope.overhead.budget.ProcessLifetimes;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HookRateProbeResultTest {

    private static final ActionProfile PROCEVENTS = new ActionProfile("procevents", Set.of("do_exit"), null, false);

    /** A pass of 2 s with 0.2 s stopped that counted 10 exits per second of progress. */
    private static HookRateProbe.Result pass() {
        return new HookRateProbe.Result(new HookRates("vm", 1.0, Map.of("do_exit", 10.0)), Map.of(), Map.of(),
                ProcessLifetimes.UNKNOWN, 2, 0.2, List.of(PROCEVENTS));
    }

    /** Each exit costs the guest 250 ms, saturating at 40× (re-translation under TCG). */
    private static final SlowdownPredictor SATURATING = (actions, rates, vcpus) -> {
        double stops = rates.stopsPerSecond("do_exit");
        double slowdown = 40 * (1 - Math.exp(-stops * 0.25 / 40));
        return new Prediction(slowdown, slowdown, slowdown, Map.of("procevents", slowdown));
    };

    @Test
    void ratesCountedUnderASlowdownTheCountersDoNotSee_areRaisedToWhereTheModelExplainsThem() {
        HookRates unmonitored = pass().unmonitored(SATURATING, 1);

        double rate = unmonitored.stopsPerSecond("do_exit");
        // the window held 2 s / (1 + S(rate)) of progress with 18 exits: rate = 18 (1 + S(rate)) / 2
        double slowdown = SATURATING.predict(List.of(PROCEVENTS), unmonitored, 1).slowdown();
        assertThat(rate).isGreaterThan(100).isCloseTo(18 * (1 + slowdown) / 2, within(0.02 * rate));
    }

    @Test
    void aPredictorThatSeesOnlyTheStoppedTime_leavesTheCountedRates() {
        // 18 exits stopped the VM 0.2 s: 11.1 ms each, which the counted rate (per second of progress) holds already
        SlowdownPredictor stoppedOnly = (actions, rates, vcpus) -> {
            double slowdown = rates.stopsPerSecond("do_exit") * 0.2 / 18;
            return new Prediction(slowdown, slowdown, slowdown, Map.of());
        };

        assertThat(pass().unmonitored(stoppedOnly, 1).stopsPerSecond("do_exit")).isCloseTo(10, within(0.5));
    }

    @Test
    void actionsThePredictorCannotPredict_keepTheCountedRates() {
        SlowdownPredictor refusing = (actions, rates, vcpus) -> {
            throw new IllegalArgumentException("the model was not fitted on action procevents");
        };

        assertThat(pass().unmonitored(refusing, 1).stopsPerSecond("do_exit")).isEqualTo(10);
    }
}
