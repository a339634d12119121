package io.vmiscope.overhead.experiment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * An overhead experiment's design: which action combinations run on which workloads, how often and
 * in what order. Everything that fixes the plan is in this record, so the same design always gives
 * the same plan — an interrupted experiment resumes where it stopped.
 *
 * <p>Combinations: every non-empty subset of the actions (full factorial) for up to
 * {@value #FULL_FACTORIAL_MAX} actions; beyond, a fraction: every single action, every pair (what the
 * model is fitted on) and {@code largerCombinations} random larger subsets (what it is validated on).
 *
 * <p>Order: the workloads in random order, each in one block (a workload is started and warmed up
 * once); within a block the monitored runs (combinations × repetitions) in random order, with a
 * baseline first, after every {@code baselineEvery} monitored runs and last — so every monitored run
 * has a baseline of the same workload measured shortly before and after it, and slow drifts of the
 * shared host cancel out.
 *
 * @param actions            action specs as {@code vmiscope monitor --action} takes them
 * @param workloads          workload names
 * @param repetitions        runs of each workload × combination
 * @param window             measured time of one run
 * @param warmUp             time between starting the actions and measuring (breakpoints in, caches warm)
 * @param baselineEvery      monitored runs between two baselines
 * @param largerCombinations random combinations of three or more actions, when not full factorial
 * @param seed               seeds the random order and the random combinations
 * @param maxActions         the most actions a combination has; 0 for no limit (a calibration measures
 *                           single actions and pairs only, what the model is fitted on)
 */
public record Design(List<String> actions, List<String> workloads, int repetitions, Duration window,
                     Duration warmUp, int baselineEvery, int largerCombinations, long seed, int maxActions) {

    /** Up to this many actions every combination runs. */
    public static final int FULL_FACTORIAL_MAX = 5;

    public Design {
        actions = List.copyOf(new LinkedHashSet<>(actions));
        workloads = List.copyOf(new LinkedHashSet<>(workloads));
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(warmUp, "warmUp");
        if (actions.isEmpty() || workloads.isEmpty()) {
            throw new IllegalArgumentException("a design needs at least one action and one workload");
        }
        if (repetitions < 1 || baselineEvery < 1 || largerCombinations < 0 || maxActions < 0) {
            throw new IllegalArgumentException("repetitions and baselineEvery must be at least 1, largerCombinations "
                    + "and maxActions at least 0");
        }
        if (window.isZero() || window.isNegative() || warmUp.isNegative()) {
            throw new IllegalArgumentException("the window must be positive and the warm-up not negative");
        }
    }

    /** The action combinations this design measures, smallest first. */
    public List<List<String>> combinations() {
        int n = actions.size();
        List<List<String>> all = new ArrayList<>();
        if (n <= FULL_FACTORIAL_MAX) {
            for (int mask = 1; mask < 1 << n; mask++) {
                all.add(subset(mask));
            }
        } else {
            for (int i = 0; i < n; i++) {
                all.add(List.of(actions.get(i)));
                for (int j = i + 1; j < n; j++) {
                    all.add(List.of(actions.get(i), actions.get(j)));
                }
            }
            Random random = new Random(seed);
            Set<Long> drawn = new LinkedHashSet<>();
            long possible = (1L << n) - 1 - n - (long) n * (n - 1) / 2;
            while (drawn.size() < Math.min(largerCombinations, possible)) {
                long mask = random.nextLong() & ((1L << n) - 1);
                if (Long.bitCount(mask) >= 3) {
                    drawn.add(mask);
                }
            }
            drawn.forEach(mask -> all.add(subset(mask)));
        }
        if (maxActions > 0) {
            all.removeIf(combination -> combination.size() > maxActions);
        }
        all.sort((a, b) -> Integer.compare(a.size(), b.size()));
        return all;
    }

    private List<String> subset(long mask) {
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            if ((mask & 1L << i) != 0) {
                chosen.add(actions.get(i));
            }
        }
        return List.copyOf(chosen);
    }

    /** Every run in execution order, numbered from 1. */
    public List<PlannedRun> plan() {
        Random random = new Random(seed);
        List<String> order = new ArrayList<>(workloads);
        Collections.shuffle(order, random);
        List<List<String>> combinations = combinations();
        List<PlannedRun> plan = new ArrayList<>();
        for (String workload : order) {
            List<PlannedRun> monitored = new ArrayList<>();
            for (List<String> combination : combinations) {
                for (int r = 0; r < repetitions; r++) {
                    monitored.add(new PlannedRun(0, workload, combination, r));
                }
            }
            Collections.shuffle(monitored, random);
            int baselines = 0;
            plan.add(new PlannedRun(plan.size() + 1, workload, List.of(), baselines++));
            for (int i = 0; i < monitored.size(); i++) {
                PlannedRun run = monitored.get(i);
                plan.add(new PlannedRun(plan.size() + 1, workload, run.actions(), run.repetition()));
                if ((i + 1) % baselineEvery == 0 || i == monitored.size() - 1) {
                    plan.add(new PlannedRun(plan.size() + 1, workload, List.of(), baselines++));
                }
            }
        }
        return plan;
    }

    /** Roughly how long the plan takes: windows and warm-ups, plus a start-up allowance per workload. */
    public Duration estimatedDuration(Duration perRunOverhead, Duration perWorkloadStart) {
        List<PlannedRun> plan = plan();
        long monitored = plan.stream().filter(r -> !r.baseline()).count();
        return window.plus(perRunOverhead).multipliedBy(plan.size()).plus(warmUp.multipliedBy(monitored))
                .plus(perWorkloadStart.multipliedBy(workloads.size()));
    }
}
