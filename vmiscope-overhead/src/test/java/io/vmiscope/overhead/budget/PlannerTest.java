package io.vmiscope.overhead.budget;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.overhead.HookRates;
import io.vmiscope.overhead.SlowdownPredictor;
import io.vmiscope.overhead.ActionProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.vmiscope.overhead.budget.TestCatalog.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlannerTest {

    private static final HookRates RATES = new HookRates("vm", 1.0, Map.of(
            "__x64_sys_read", 600.0, "__x64_sys_openat", 300.0, "__x64_sys_execve", 100.0, "do_syscall_64", 2000.0));

    private static List<ActionSpec> specs(String... texts) {
        return Stream.of(texts).map(TestCatalog::spec).toList();
    }

    /** 0.1 ms per stop, 10 ms per walk; interval [0.8, 1.25] × the prediction. */
    private final Planner planner = new Planner(new LinearPredictor(0.0001, 0.010), new TestCatalog(),
            ProcessLifetimes.UNKNOWN, Duration.ofSeconds(4));

    @Test
    void aRequestThatFits_isReturnedAsItIs() {
        Plan plan = planner.plan(specs("syscalls:execve"), RATES, 1, Budget.parse("5%"));

        assertThat(plan.requestFits()).isTrue();
        assertThat(plan.requested().slowdown()).isEqualTo(0.01, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(plan.options()).singleElement().satisfies(o -> {
            assertThat(o.variants()).extracting(Variant::label).containsExactly("syscalls:execve");
            assertThat(o.coverage()).isEqualTo(1.0);
        });
        assertThat(plan.describe()).singleElement().asString().contains("fits, runs as requested");
    }

    @Test
    void aRequestThatDoesNotFit_getsVariantsThatFit_mostCoverageFirst_thenCheapest() {
        // 1000 stops/s: 10%, up to 12.5%
        Plan plan = planner.plan(specs("syscalls:execve,openat,read"), RATES, 1, Budget.parse("6%"));

        assertThat(plan.requestFits()).isFalse();
        assertThat(plan.options()).isNotEmpty().allSatisfy(o -> {
            assertThat(o.prediction().high()).isLessThanOrEqualTo(0.06);
            assertThat(o.coverage()).isPositive();
        });
        assertThat(plan.options()).isSortedAccordingTo(Comparator.comparingDouble((Plan.Option o) -> -o.coverage())
                .thenComparingDouble(o -> o.prediction().slowdown()));
        // without read: 400 stops/s, 4% (up to 5%), 40% of the events — more than half the time at 1/2 (50%, but 6.25%)
        Plan.Option best = plan.best().orElseThrow();
        assertThat(best.variants()).extracting(v -> v.spec().toString()).containsExactly("syscalls:execve,openat");
        assertThat(best.variants()).extracting(Variant::label).containsExactly("syscalls:execve,openat,read without read");
        assertThat(best.coverage()).isEqualTo(0.4, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(plan.describe()).anySatisfy(line -> assertThat(line).startsWith("starts: syscalls:execve,openat,read without read"))
                .contains(Plan.PROCESS_FILTER_NOTE);
    }

    @Test
    void fitting_isJudgedOnTheUpperEnd_notOnThePrediction() {
        // 5% predicted, up to 6.25%: over a 6% budget although the prediction is under it
        Plan plan = planner.plan(specs("syscalls:openat,execve,close"), new HookRates("vm", 1.0,
                Map.of("__x64_sys_openat", 400.0, "__x64_sys_execve", 100.0)), 1, Budget.parse("6%"));

        assertThat(plan.requested().slowdown()).isLessThan(0.06);
        assertThat(plan.requestFits()).isFalse();
    }

    @Test
    void severalActions_keepTheMostCoverageThatFits() {
        // syscalls:all 20%; pslist:5s 0.2%
        Plan plan = planner.plan(specs("syscalls:all", "pslist:5s"), RATES, 1, Budget.parse("5%"));

        Plan.Option best = plan.best().orElseThrow();
        assertThat(best.variants()).extracting(Variant::label)
                .containsExactly("syscalls:all on 0.50 s of every 4 s", "pslist:5s");
        assertThat(best.coverage()).isEqualTo((0.125 + 1) / 2);
        assertThat(best.prediction().high()).isLessThanOrEqualTo(0.05);
    }

    @Test
    void twoRequestsThatComeDownToTheSameAction_arePredictedWithItOnce() {
        // procevents' snapshot variant is the pslist:1s requested beside it; a model refuses an action twice
        SlowdownPredictor once = (actions, rates, vcpus) -> {
            if (actions.stream().map(ActionProfile::id).distinct().count() < actions.size()) {
                throw new IllegalArgumentException("action listed twice");
            }
            return new LinearPredictor(0.0001, 0.010).predict(actions, rates, vcpus);
        };
        Planner planner = new Planner(once, new TestCatalog(), new ProcessLifetimes(List.of(0.5, 2.0, 6.0), List.of()),
                Duration.ofSeconds(4));
        HookRates busy = new HookRates("vm", 1.0, Map.of("__x64_sys_execve", 3000.0, "wake_up_new_task", 3000.0,
                "do_exit", 3000.0));

        Plan plan = planner.plan(specs("procevents", "pslist:1s"), busy, 1, Budget.parse("5%"));

        assertThat(plan.options()).isNotEmpty()
                .allSatisfy(o -> assertThat(o.prediction().high()).isLessThanOrEqualTo(0.05))
                .anySatisfy(o -> assertThat(o.variants()).extracting(v -> v.spec().toString()).containsExactly("pslist:1s", "pslist:1s"));
    }

    @Test
    void manyActions_withTooManyCombinations_areSearchedAlongThePathDown() {
        List<ActionSpec> specs = Stream.of("syscalls:all", "syscalls:read", "syscalls:openat", "syscalls:execve",
                "procevents", "pslist:5s").map(TestCatalog::spec).toList();

        Plan plan = planner.plan(specs, RATES, 1, Budget.parse("5%"));

        assertThat(plan.ladders().stream().mapToLong(l -> l.levels().size()).reduce(1, (a, b) -> a * b))
                .isGreaterThan(Planner.MOST_COMBINATIONS);
        assertThat(plan.options()).isNotEmpty().allSatisfy(o -> assertThat(o.prediction().high()).isLessThanOrEqualTo(0.05));
        assertThat(plan.options()).isSortedAccordingTo(Comparator.comparingDouble((Plan.Option o) -> -o.coverage())
                .thenComparingDouble(o -> o.prediction().slowdown()));
        // the snapshots cost little for what they see, and execve's few stops fit whole
        assertThat(plan.best().orElseThrow().variants()).extracting(Variant::label)
                .contains("pslist:5s", "syscalls:execve");
    }

    @Test
    void whenOnlyStoppingFits_thereIsNoOption() {
        Plan plan = planner.plan(specs("syscalls:all"), RATES, 1, Budget.parse("0.1%"));

        assertThat(plan.options()).isEmpty();
        assertThat(plan.best()).isEmpty();
        assertThat(plan.describe()).contains("no variant that still sees anything fits the budget");
    }

    @Test
    void anActionRequestedTwice_isRefused() {
        assertThatThrownBy(() -> planner.plan(specs("procevents", "procevents"), RATES, 1, Budget.parse("5%")))
                .hasMessage("action 'procevents' is requested twice");
    }

    @Test
    void aLadder_goesDownInCostAndCoverage_toStopped() {
        Plan plan = planner.plan(specs("syscalls:execve,openat,read"), RATES, 1, Budget.parse("6%"));

        List<Ladder.Level> levels = plan.ladders().get(0).levels();
        assertThat(levels.get(0).variant().change()).isEmpty();
        for (int i = 1; i < levels.size(); i++) {
            assertThat(levels.get(i).average().slowdown()).as("step %d", i)
                    .isLessThan(levels.get(i - 1).average().slowdown());
            assertThat(levels.get(i).variant().coverage()).as("step %d", i)
                    .isLessThan(levels.get(i - 1).variant().coverage());
        }
        assertThat(levels.get(levels.size() - 1).variant().runs()).isFalse();
    }

    @Test
    void dutyCycles_scaleEachActionsShareOfTheCombination() {
        TestCatalog catalog = new TestCatalog();
        CombinationPredictor predictor = new CombinationPredictor(new LinearPredictor(0.0001, 0.010));
        Variant all = Variant.requested(spec("syscalls:all"), catalog.profile(spec("syscalls:all")))
                .withDuty(DutyCycle.of(0.25, Duration.ofSeconds(4)));
        Variant snapshots = Variant.requested(spec("pslist:1s"), catalog.profile(spec("pslist:1s")));

        var p = predictor.predict(List.of(all, snapshots), RATES, 1);

        assertThat(p.perAction()).containsEntry("syscalls:all", 0.05).containsEntry("pslist:1s", 0.01);
        assertThat(p.slowdown()).isEqualTo(0.06, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(p.high()).isEqualTo(0.06 * LinearPredictor.HIGH, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(predictor.predict(List.of(all.stopped()), RATES, 1).high()).isZero();
    }
}
