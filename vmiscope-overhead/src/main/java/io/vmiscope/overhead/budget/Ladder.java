package io.vmiscope.overhead.budget;

import io.vmiscope.overhead.HookRates;
import io.vmiscope.overhead.Prediction;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The steps one requested action can be degraded through, from the request down to stopping it: the
 * request, then the candidates on the cost/coverage frontier — each step predicted cheaper than the one
 * above and seeing less, none seeing less than a cheaper one — then stopped. Candidates the model
 * cannot predict are left out. Immutable.
 */
public final class Ladder {

    /**
     * One step.
     *
     * @param variant  how the action runs at this step
     * @param whileOn  the prediction of the variant running alone, as if always on (for the stopped step:
     *                 the request's)
     * @param average  the same averaged over its duty cycle: what it costs the VM over time
     */
    public record Level(Variant variant, Prediction whileOn, Prediction average) {
    }

    private final List<Level> levels;

    private Ladder(List<Level> levels) {
        this.levels = List.copyOf(levels);
    }

    static Ladder of(Variant request, List<Variant> candidates, CombinationPredictor predictor, HookRates rates,
                     int vcpus) {
        Level top = level(request, predictor, rates, vcpus);
        List<Level> cheaper = new ArrayList<>();
        for (Variant candidate : candidates) {
            Level level;
            try {
                level = level(candidate, predictor, rates, vcpus);
            } catch (IllegalArgumentException cannotPredict) {
                continue;
            }
            if (level.average().slowdown() < top.average().slowdown()) {
                cheaper.add(level);
            }
        }
        // sweep from the cheapest up: keep a step only when it sees more than every cheaper one
        cheaper.sort(Comparator.comparingDouble((Level l) -> l.average().slowdown())
                .thenComparing(l -> -l.variant().coverage()));
        List<Level> frontier = new ArrayList<>();
        double bestCoverage = 0;
        for (Level level : cheaper) {
            if (level.variant().coverage() > bestCoverage && level.variant().coverage() < request.coverage()) {
                frontier.add(level);
                bestCoverage = level.variant().coverage();
            }
        }
        List<Level> steps = new ArrayList<>();
        steps.add(top);
        Collections.reverse(frontier);
        steps.addAll(frontier);
        Variant stopped = request.stopped();
        steps.add(new Level(stopped, top.whileOn(), predictor.predict(List.of(stopped), rates, vcpus)));
        return new Ladder(steps);
    }

    private static Level level(Variant variant, CombinationPredictor predictor, HookRates rates, int vcpus) {
        Prediction whileOn = predictor.predict(List.of(variant.withDuty(DutyCycle.FULL)), rates, vcpus);
        return new Level(variant, whileOn, predictor.predict(List.of(variant), rates, vcpus));
    }

    /** The steps, the request first and stopped last. */
    public List<Level> levels() {
        return levels;
    }

    public Level level(int index) {
        return levels.get(index);
    }

    /** The request. */
    public Variant request() {
        return levels.get(0).variant();
    }

    /** The index of the last step (stopped). */
    public int bottom() {
        return levels.size() - 1;
    }

    /** The index of {@code level} on this ladder. */
    public int indexOf(Level level) {
        int i = levels.indexOf(level);
        if (i < 0) {
            throw new IllegalArgumentException("not a step of this ladder: " + level.variant().label());
        }
        return i;
    }
}
