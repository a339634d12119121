package io.vmiscope.session;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.HookRates;
import io.vmiscope.overhead.Prediction;
import io.vmiscope.overhead.budget.ActionCatalog;
import io.vmiscope.overhead.budget.Budget;
import io.vmiscope.overhead.budget.DutyCycles;
import io.vmiscope.overhead.budget.Plan;
import io.vmiscope.overhead.budget.Planner;
import io.vmiscope.overhead.budget.ProcessLifetimes;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class FollowUpDecisionTest {

    /** One hooked site at 100 stops/s, each costing 1 ms: the trace alone is a 10% slowdown. */
    private static final HookRates RATES = new HookRates("vm", 1.0, Map.of("__x64_sys_execve", 100.0));
    private static final ActionSpec TRACE = ActionSpec.parse("syscalls:execve[pid=7]");

    private static Function<Budget, Plan> planning() {
        ActionCatalog catalog = new ActionCatalog() {
            @Override
            public ActionProfile profile(ActionSpec spec) {
                return new ActionProfile(spec.toString(), Set.of("__x64_sys_execve"), null, false);
            }

            @Override
            public Set<String> syscalls(ActionSpec spec) {
                return Set.of("execve");
            }
        };
        Planner planner = new Planner((actions, rates, vcpus) -> {
            double s = actions.stream().mapToDouble(a -> a.sites().stream().mapToDouble(rates::stopsPerSecond).sum()
                    * 0.001).sum();
            return new Prediction(s, s, s, Map.of());
        }, catalog, ProcessLifetimes.UNKNOWN, DutyCycles.DEFAULT_PERIOD);
        return left -> planner.plan(List.of(TRACE), RATES, 1, left);
    }

    @Test
    void aFollowUpThatFitsWhatIsLeft_runsAsAsked() {
        FollowUpDecision d = FollowUpDecision.decide(new Budget(0.50), 0.05, planning());

        assertThat(d.runs()).isTrue();
        assertThat(d.step()).isZero();
        assertThat(d.outcome()).isEqualTo("runs as asked, predicted 10.0%");
    }

    @Test
    void aFollowUpOverWhatIsLeft_runsDegradedToFit_andSaysSo() {
        FollowUpDecision d = FollowUpDecision.decide(new Budget(0.10), 0.05, planning());

        assertThat(d.runs()).isTrue();
        assertThat(d.step()).isPositive();
        assertThat(d.outcome()).startsWith("runs degraded to fit the budget as syscalls:execve[pid=7] on ")
                .endsWith("; asked for: predicted 10.0%)");
    }

    @Test
    void withTheBudgetUsedUp_aFollowUpIsRefused_beforeAnyPlanning() {
        FollowUpDecision d = FollowUpDecision.decide(new Budget(0.10), 0.12, budget -> {
            throw new AssertionError("not planned");
        });

        assertThat(d.runs()).isFalse();
        assertThat(d.outcome()).isEqualTo("refused: the VM is estimated at 12.0%, its budget is 10.0%");
    }

    @Test
    void whenNoFormFitsWhatIsLeft_aFollowUpIsRefused_withItsPrediction() {
        FollowUpDecision d = FollowUpDecision.decide(new Budget(0.10), 0.0999, planning());

        assertThat(d.runs()).isFalse();
        assertThat(d.outcome()).isEqualTo("refused: predicted 10.0%, over the 0.0% left of the budget");
    }
}
