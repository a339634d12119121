package io.vmiscope.overhead.budget;

import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.HookRates;
import io.vmiscope.overhead.Prediction;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.vmiscope.overhead.budget.TestCatalog.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StoppedTimePredictorTest {

    private final TestCatalog catalog = new TestCatalog();
    private final HookRates rates = new HookRates("vm", 1.0, Map.of("do_syscall_64", 100.0));
    private final StoppedTimePredictor predictor = new StoppedTimePredictor(Map.of("do_syscall_64", 0.001),
            Map.of("pslist", 0.010), 2.0);

    @Test
    void hooksAndPauses_combineAsLostTimeOverProgress() {
        Prediction p = predictor.predict(List.of(catalog.profile(spec("syscalls:all")), catalog.profile(spec("pslist:1s"))), rates, 1);

        // H = 100/s × 1 ms = 0.1; φ = 10 ms / 1 s = 0.01; 1 + S = 1.1 / 0.99
        assertThat(p.slowdown()).isCloseTo(1.1 / 0.99 - 1, within(1e-12));
        assertThat(p.perAction().values().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(p.slowdown(), within(1e-12));
    }

    @Test
    void theInterval_isTwoPoissonDeviationsOfTheCountedStops() {
        Prediction p = predictor.predict(List.of(catalog.profile(spec("syscalls:all"))), rates, 1);

        double relative = 2 / Math.sqrt(200); // 100/s counted for 2 s
        assertThat(p.high()).isCloseTo(0.1 * (1 + relative), within(1e-12));
        assertThat(p.low()).isCloseTo(0.1 * (1 - relative), within(1e-12));
    }

    @Test
    void aSharedSite_stopsOnce_andIsSplitBetweenItsHookers() {
        ActionProfile one = new ActionProfile("a", java.util.Set.of("do_syscall_64"), null, false);
        ActionProfile two = new ActionProfile("b", java.util.Set.of("do_syscall_64"), null, false);

        Prediction p = predictor.predict(List.of(one, two), rates, 1);

        assertThat(p.slowdown()).isCloseTo(0.1, within(1e-12));
        assertThat(p.perAction()).containsEntry("a", p.perAction().get("b"));
    }

    @Test
    void unmeasuredSitesAndWalks_costTheDefaults_andAnUnpausedWalkAtMostAPausedOne() {
        HookRates other = new HookRates("vm", 1.0, Map.of("__x64_sys_openat", 10.0));

        assertThat(predictor.predict(List.of(catalog.profile(spec("syscalls:openat"))), other, 1).slowdown())
                .isCloseTo(10 * StoppedTimePredictor.DEFAULT_SECONDS_PER_STOP, within(1e-12));
        assertThat(predictor.predict(List.of(catalog.profile(spec("modules:1s"))), other, 1).slowdown())
                .isCloseTo(1 / (1 - StoppedTimePredictor.DEFAULT_SECONDS_PER_RUN) - 1, within(1e-12));
        assertThat(predictor.predict(List.of(catalog.profile(spec("pslist:1s:unpaused"))), other, 1).slowdown())
                .isCloseTo(1 / 0.99 - 1, within(1e-12));
        assertThat(catalog.profile(spec("pslist:1s:unpaused")).periodicKind()).isEqualTo("pslist:unpaused");
        // checks keep the names of what they run: a subset costs differently from all of them
        assertThat(catalog.profile(spec("checks:5s")).periodicKind()).isEqualTo("checks");
        assertThat(catalog.profile(spec("checks:credentials,syscall-table:2s")).periodicKind())
                .isEqualTo("checks:credentials,syscall-table");
    }
}
