package io.vmiscope.session;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.ProcessFilter;
import io.vmiscope.monitor.Action;
import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.HookRates;
import io.vmiscope.overhead.Prediction;
import io.vmiscope.overhead.SlowdownPredictor;
import io.vmiscope.overhead.budget.Budget;
import io.vmiscope.overhead.budget.BuiltActions;
import io.vmiscope.overhead.budget.DutyCycles;
import io.vmiscope.overhead.budget.Ladder;
import io.vmiscope.overhead.budget.Plan;
import io.vmiscope.overhead.budget.Planner;
import io.vmiscope.overhead.budget.StopPenalty;
import io.vmiscope.overhead.budget.StoppedTimePredictor;
import io.vmiscope.overhead.model.ModelFile;
import io.vmiscope.overhead.model.OverheadModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What a session plans and predicts with, measured once on the attached VM: a counting pass gives the hooks'
 * rates (corrected to what the unmonitored guest would cause), the overhead model (where fitted) predicts,
 * and the stopped time of the pass predicts what the model does not know. {@code monitor --budget}, the demo's
 * default actions, and every cost preview and start from the browser plan and predict with the same object,
 * so a preview and the controller agree.
 */
public final class BudgetPlanning {

    /** A process snapshot probed beside process events: their snapshot variants then have a measured walk time. */
    private static final ActionSpec PROCESS_SNAPSHOT_PROBE = new ActionSpec.ProcessList(Duration.ofSeconds(1), true);

    /** What the controller needs to run a plan. */
    public record Planned(Plan plan, BuiltActions built, StopPenalty penalty) {
    }

    private final HookRateProbe.Result pass;
    private final Optional<OverheadModel> model;
    private final Path modelFile;
    private final SlowdownPredictor predictor;
    private final HookRates rates;
    private final BuiltActions built;
    private final int vcpus;

    private BudgetPlanning(HookRateProbe.Result pass, Optional<OverheadModel> model, Path modelFile, BuiltActions built,
                           int vcpus) {
        this.pass = pass;
        this.model = model;
        this.modelFile = modelFile;
        this.predictor = predictor(pass, model);
        this.rates = pass.unmonitored(predictor, vcpus);
        this.built = built;
        this.vcpus = vcpus;
    }

    /**
     * Runs the counting pass over {@code probed} (plus a process snapshot beside process events) and loads the
     * model. Returns with the pass's breakpoints removed and the VM running.
     */
    public static BudgetPlanning measure(Target target, BuiltActions built, List<ActionSpec> probed, Path modelFile) {
        HookRateProbe.Result pass = HookRateProbe.measure(target, probeSpecs(probed).stream().map(built::action).toList(),
                HookRateProbe.WINDOW);
        Optional<OverheadModel> model = Files.isRegularFile(modelFile) ? Optional.of(ModelFile.read(modelFile))
                : Optional.empty();
        return new BudgetPlanning(pass, model, modelFile, built, target.vcpus());
    }

    /**
     * {@code monitor --budget}'s planning: measures, plans {@code specs} under {@code budget}, and describes both.
     *
     * @param log where the counting pass and the plan are described, one line each
     * @throws IllegalArgumentException when nothing of the request fits the budget
     */
    public static Planned plan(Target target, Function<ActionSpec, Action> build, List<ActionSpec> specs, Budget budget,
                               Path modelFile, Consumer<String> log) {
        log.accept("counting hook rates for " + HookRateProbe.WINDOW.toSeconds() + " s (events not reported)");
        BudgetPlanning planning = measure(target, new BuiltActions(build), specs, modelFile);
        Plan plan = planning.plan(specs, budget);
        log.accept(planning.basis());
        plan.describe().forEach(log);
        if (plan.best().isEmpty()) {
            throw new IllegalArgumentException("nothing of the request fits a budget of " + budget
                    + "; raise --budget or ask for less");
        }
        return new Planned(plan, planning.built, planning.penalty(plan));
    }

    /** Plans {@code specs} under {@code budget} at the measured rates. */
    public Plan plan(List<ActionSpec> specs, Budget budget) {
        return new Planner(predictor, built, pass.lifetimes(), DutyCycles.DEFAULT_PERIOD).plan(specs, rates, vcpus, budget);
    }

    /** The guest time a stop of {@code plan}'s actions costs beyond the stopped time, as the model implies it. */
    public StopPenalty penalty(Plan plan) {
        return penalty(plan.ladders());
    }

    /** The same for some ladders of requested actions. */
    public StopPenalty penalty(List<Ladder> ladders) {
        return StopPenalty.implied(ladders, rates, pass.secondsPerStop());
    }

    /** The VM's vCPU count the predictions are for. */
    public int vcpus() {
        return vcpus;
    }

    /** The predicted slowdown of {@code specs} together. */
    public Prediction predict(List<ActionSpec> specs) {
        List<ActionProfile> profiles = specs.stream().map(built::profile).toList();
        return predictor.predict(profiles, rates, vcpus);
    }

    /** The actions built from specs on this VM. */
    public BuiltActions built() {
        return built;
    }

    /** One line: which model predicts which actions, and what the others rest on. */
    public String basis() {
        return model.map(m -> "predictions from the overhead model " + modelFile + " for "
                        + String.join(", ", m.knownActions()) + "; for other actions ")
                .orElse("no overhead model at " + modelFile + "; predictions ")
                + "count the VM-stopped time measured in the counting pass only: under TCG each stop also costs the "
                + "guest a re-translation they do not include (docs/overhead.md)";
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
    static SlowdownPredictor predictor(HookRateProbe.Result pass, Optional<OverheadModel> fitted) {
        SlowdownPredictor measured = new StoppedTimePredictor(pass.secondsPerStop(), pass.secondsPerRun(), pass.seconds());
        if (fitted.isEmpty()) {
            return measured;
        }
        OverheadModel model = fitted.get();
        return (actions, rates, vcpus) -> actions.stream().allMatch(a -> model.fittedId(a).isPresent())
                ? model.predict(actions, rates, vcpus) : measured.predict(actions, rates, vcpus);
    }
}
