package io.vmiscope.session;

import io.vmiscope.overhead.budget.Budget;
import io.vmiscope.overhead.budget.Ladder;
import io.vmiscope.overhead.budget.Percent;
import io.vmiscope.overhead.budget.Plan;
import io.vmiscope.overhead.budget.Variant;

import java.util.function.Function;

/**
 * Whether a detection's follow-up runs, and in which form: the VM's estimated slowdown leaves part of the
 * budget, and the follow-up runs at the cheapest-losing form of its ladder that fits that part — as asked, or
 * degraded (fewer syscalls, a duty cycle, slower snapshots) — or not at all.
 *
 * @param ladder  the follow-up's ladder (null when refused before planning)
 * @param step    the step it starts at; -1 when it does not run
 * @param outcome one line for the alert, e.g. {@code "runs as asked, predicted 0.3%"}
 */
record FollowUpDecision(Ladder ladder, int step, String outcome) {

    boolean runs() {
        return step >= 0;
    }

    /**
     * @param used     the VM's estimated slowdown now
     * @param planning plans the follow-up under what is left of the budget
     */
    static FollowUpDecision decide(Budget budget, double used, Function<Budget, Plan> planning) {
        double left = budget.maxSlowdown() - used;
        if (left <= 0) {
            return new FollowUpDecision(null, -1, "refused: the VM is estimated at " + Percent.of(used) + ", its budget is "
                    + Percent.of(budget.maxSlowdown()));
        }
        Plan plan = planning.apply(new Budget(Math.min(left, Budget.MOST.maxSlowdown())));
        Ladder ladder = plan.ladders().get(0);
        String predicted = "predicted " + Percent.of(ladder.level(0).average().slowdown());
        if (plan.best().isEmpty()) {
            return new FollowUpDecision(ladder, -1, "refused: " + predicted + ", over the " + Percent.of(left)
                    + " left of the budget");
        }
        Plan.Option best = plan.best().get();
        int step = ladder.indexOf(best.levels().get(0));
        Variant chosen = ladder.level(step).variant();
        return new FollowUpDecision(ladder, step, step == 0 ? "runs as asked, " + predicted
                : "runs degraded to fit the budget as " + chosen.label() + " (" + Percent.of(best.prediction().slowdown())
                + "; asked for: " + predicted + ")");
    }

}
