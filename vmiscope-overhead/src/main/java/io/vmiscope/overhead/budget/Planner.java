package io.vmiscope.overhead.budget;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.overhead.HookRates;
import io.vmiscope.overhead.Prediction;
import io.vmiscope.overhead.SlowdownPredictor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Plans a request under a budget: predicts it as it is, and when its prediction's upper end is over
 * the budget, looks for combinations of cheaper variants that fit — one step of each action's
 * {@link Ladder} — and returns the best {@value #MAX_OPTIONS}: most coverage first, then cheapest.
 * Combinations that see nothing are never proposed.
 *
 * <p>Every combination is predicted when there are at most {@value #MOST_COMBINATIONS}; beyond that
 * (many actions with long ladders) the search walks down from the request instead, at each turn taking
 * the step that buys the most predicted slowdown per coverage given up, and considers the combinations
 * on that path. Thread-safe when the model and catalog are.
 */
public final class Planner {

    /** How many fitting combinations a plan lists at most. */
    static final int MAX_OPTIONS = 5;
    /** The most combinations predicted one by one. */
    static final long MOST_COMBINATIONS = 20_000;

    private final CombinationPredictor predictor;
    private final ActionCatalog catalog;
    private final ProcessLifetimes lifetimes;
    private final Duration dutyPeriod;

    /**
     * @param model      predicts a combination's slowdown
     * @param catalog    builds the variants' specs on the VM
     * @param lifetimes  measured process lifetimes, for the snapshot variants' coverage
     * @param dutyPeriod the cycle of the duty-cycle variants ({@link DutyCycles#DEFAULT_PERIOD})
     */
    public Planner(SlowdownPredictor model, ActionCatalog catalog, ProcessLifetimes lifetimes, Duration dutyPeriod) {
        this.predictor = new CombinationPredictor(model);
        this.catalog = catalog;
        this.lifetimes = lifetimes;
        this.dutyPeriod = dutyPeriod;
    }

    /**
     * @param specs  the requested actions
     * @param rates  the VM's current hook rates
     * @param vcpus  the VM's vCPU count
     * @throws IllegalArgumentException when a spec cannot be built, an action is requested twice, or the
     *                                  model cannot predict the request
     */
    public Plan plan(List<ActionSpec> specs, HookRates rates, int vcpus, Budget budget) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("a plan needs at least one action");
        }
        List<Ladder> ladders = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (ActionSpec spec : specs) {
            Variant request = Variant.requested(spec, catalog.profile(spec));
            if (!ids.add(request.profile().id())) {
                throw new IllegalArgumentException("action '" + request.profile().id() + "' is requested twice");
            }
            ladders.add(Ladder.of(request, Variants.of(request, rates, lifetimes, catalog, dutyPeriod), predictor,
                    rates, vcpus));
        }
        Plan.Option asRequested = option(ladders, new int[ladders.size()], rates, vcpus);
        if (budget.fits(asRequested.prediction())) {
            return new Plan(budget, asRequested.prediction(), ladders, List.of(asRequested));
        }
        List<Plan.Option> candidates = combinations(ladders) <= MOST_COMBINATIONS
                ? everyCombination(ladders, rates, vcpus) : pathDown(ladders, asRequested, rates, vcpus);
        List<Plan.Option> fitting = candidates.stream()
                .filter(o -> o.coverage() > 0 && budget.fits(o.prediction()))
                .sorted(Comparator.comparingDouble((Plan.Option o) -> -o.coverage())
                        .thenComparingDouble(o -> o.prediction().slowdown()))
                .limit(MAX_OPTIONS).toList();
        return new Plan(budget, asRequested.prediction(), ladders, fitting);
    }

    private static long combinations(List<Ladder> ladders) {
        long n = 1;
        for (Ladder ladder : ladders) {
            n = Math.min(Long.MAX_VALUE / 1024, n * ladder.levels().size());
        }
        return n;
    }

    private List<Plan.Option> everyCombination(List<Ladder> ladders, HookRates rates, int vcpus) {
        List<Plan.Option> all = new ArrayList<>();
        int[] steps = new int[ladders.size()];
        while (true) {
            all.add(option(ladders, steps, rates, vcpus));
            int i = 0;
            while (i < steps.length && steps[i] == ladders.get(i).bottom()) {
                steps[i++] = 0;
            }
            if (i == steps.length) {
                return all;
            }
            steps[i]++;
        }
    }

    private List<Plan.Option> pathDown(List<Ladder> ladders, Plan.Option start, HookRates rates, int vcpus) {
        List<Plan.Option> path = new ArrayList<>();
        int[] steps = new int[ladders.size()];
        Plan.Option current = start;
        while (true) {
            int chosen = -1;
            Plan.Option next = null;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < ladders.size(); i++) {
                if (steps[i] == ladders.get(i).bottom()) {
                    continue;
                }
                steps[i]++;
                Plan.Option candidate = option(ladders, steps, rates, vcpus);
                steps[i]--;
                double saved = current.prediction().slowdown() - candidate.prediction().slowdown();
                double lost = Math.max(current.coverage() - candidate.coverage(), 1e-9);
                if (saved / lost > bestScore) {
                    bestScore = saved / lost;
                    chosen = i;
                    next = candidate;
                }
            }
            if (next == null) {
                return path;
            }
            steps[chosen]++;
            current = next;
            path.add(current);
        }
    }

    private Plan.Option option(List<Ladder> ladders, int[] steps, HookRates rates, int vcpus) {
        List<Ladder.Level> levels = new ArrayList<>();
        for (int i = 0; i < ladders.size(); i++) {
            levels.add(ladders.get(i).level(steps[i]));
        }
        List<Variant> variants = levels.stream().map(Ladder.Level::variant).toList();
        Prediction prediction = predictor.predict(variants, rates, vcpus);
        double coverage = variants.stream().mapToDouble(Variant::coverage).average().orElse(0);
        return new Plan.Option(levels, prediction, coverage);
    }
}
