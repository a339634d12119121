package io.vmiscope.cli;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.ProcessFilter;
import io.vmiscope.monitor.Action;
import io.vmiscope.overhead.HookRates;
import io.vmiscope.overhead.SlowdownPredictor;
import io.vmiscope.overhead.budget.Budget;
import io.vmiscope.overhead.budget.BuiltActions;
import io.vmiscope.overhead.budget.DutyCycles;
import io.vmiscope.overhead.budget.Plan;
import io.vmiscope.overhead.budget.Planner;
import io.vmiscope.overhead.budget.StopPenalty;
import io.vmiscope.overhead.budget.StoppedTimePredictor;
import io.vmiscope.overhead.model.ModelFile;
import io.vmiscope.overhead.model.OverheadModel;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Plans requested actions under a budget on an attached VM: a counting pass measures the hooks' rates,
 * the overhead model (where fitted) predicts, the planner picks what fits, and the per-stop penalty
 * the controller adds to measured stopped time follows from the predictions.
 */
final class BudgetPlanning {

    /** A process snapshot probed beside process events: their snapshot variants then have a measured walk time. */
    private static final ActionSpec PROCESS_SNAPSHOT_PROBE = new ActionSpec.ProcessList(Duration.ofSeconds(1), true);

    /** What the controller needs to run a plan. */
    record Planned(Plan plan, BuiltActions built, StopPenalty penalty) {
    }

    private BudgetPlanning() {
    }

    /**
     * @param err where the counting pass and the plan are described, one line each
     * @throws IllegalArgumentException when nothing of the request fits the budget
     */
    static Planned plan(TargetOptions.Session session, Function<ActionSpec, Action> build, List<ActionSpec> specs,
                        Budget budget, Path modelFile, PrintStream err) {
        err.println("vmiscope: counting hook rates for " + HookRateProbe.WINDOW.toSeconds() + " s (events not reported)");
        HookRateProbe.Result probe = HookRateProbe.measure(session, probeSpecs(specs).stream().map(build).toList(),
                HookRateProbe.WINDOW);
        BuiltActions built = new BuiltActions(build);
        Optional<OverheadModel> fitted = Files.isRegularFile(modelFile) ? Optional.of(ModelFile.read(modelFile)) : Optional.empty();
        SlowdownPredictor predictor = predictor(probe, fitted);
        int vcpus = session.driver().vcpus().size();
        HookRates rates = probe.unmonitored(predictor, vcpus);
        Plan plan = new Planner(predictor, built, probe.lifetimes(), DutyCycles.DEFAULT_PERIOD)
                .plan(specs, rates, vcpus, budget);
        err.println(fitted.map(m -> "vmiscope: predictions from the overhead model " + modelFile + " for "
                        + String.join(", ", m.knownActions()) + "; for other actions ")
                .orElse("vmiscope: no overhead model at " + modelFile + "; predictions ")
                + "count the VM-stopped time measured in the counting pass only: under TCG each stop also costs the "
                + "guest a re-translation they do not include (docs/overhead.md)");
        plan.describe().forEach(line -> err.println("vmiscope: " + line));
        if (plan.best().isEmpty()) {
            throw new IllegalArgumentException("nothing of the request fits a budget of " + budget
                    + "; raise --budget or ask for less");
        }
        return new Planned(plan, built, StopPenalty.implied(plan.ladders(), rates, probe.secondsPerStop()));
    }

    private static List<ActionSpec> probeSpecs(List<ActionSpec> specs) {
        List<ActionSpec> probed = new ArrayList<>(specs);
        if (specs.contains(new ActionSpec.ProcessEvents(ProcessFilter.ALL)) && !specs.contains(PROCESS_SNAPSHOT_PROBE)) {
            probed.add(PROCESS_SNAPSHOT_PROBE);
        }
        return probed;
    }

    /**
     * The slowdown model for planning and control: the fitted model for combinations of actions it can
     * predict (those it was fitted on, fewer syscalls of a fitted trace, a fitted walk at another period);
     * otherwise the stopped time the counting pass measured, which misses TCG's re-translation after each
     * stop and so predicts too little.
     */
    static SlowdownPredictor predictor(HookRateProbe.Result probe, Optional<OverheadModel> fitted) {
        SlowdownPredictor measured = new StoppedTimePredictor(probe.secondsPerStop(), probe.secondsPerRun(), probe.seconds());
        if (fitted.isEmpty()) {
            return measured;
        }
        OverheadModel model = fitted.get();
        return (actions, rates, vcpus) -> actions.stream().allMatch(a -> model.fittedId(a).isPresent())
                ? model.predict(actions, rates, vcpus) : measured.predict(actions, rates, vcpus);
    }
}
