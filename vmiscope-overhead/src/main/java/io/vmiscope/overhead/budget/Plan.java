package io.vmiscope.overhead.budget;

import io.vmiscope.overhead.Prediction;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the {@link Planner} found for a request under a budget: the request's prediction and, when it
 * does not fit, the combinations of variants that do, most coverage first. Immutable.
 *
 * @param budget    the budget planned for
 * @param requested the prediction for the request as it is
 * @param ladders   one per requested action, in request order: the steps the controller moves along
 * @param options   combinations that fit, best first; just the request when it fits; empty when
 *                  nothing that still sees anything fits
 */
public record Plan(Budget budget, Prediction requested, List<Ladder> ladders, List<Option> options) {

    /** Why no variant restricts the request to some processes; printed when the request does not fit. */
    public static final String PROCESS_FILTER_NOTE = "restricting to processes (--pid/--process) would not help: "
            + "QEMU's stub has no conditional breakpoints, every hit stops the VM and the filter runs after the stop";

    public Plan {
        ladders = List.copyOf(ladders);
        options = List.copyOf(options);
    }

    /**
     * One combination: a step of each ladder.
     *
     * @param levels     one per requested action, in request order
     * @param prediction the combination's predicted slowdown, duty cycles included
     * @param coverage   the mean of the variants' coverages: each requested action counts the same
     */
    public record Option(List<Ladder.Level> levels, Prediction prediction, double coverage) {

        public Option {
            levels = List.copyOf(levels);
        }

        public List<Variant> variants() {
            return levels.stream().map(Ladder.Level::variant).toList();
        }

        /** {@code "syscalls:all on 1 s of every 4 s: predicted 2.5% (1.9–3.1%), keeps 25% of the requested events"} */
        public String describe() {
            return variants().stream().map(Variant::label).collect(Collectors.joining(" + ")) + ": predicted "
                    + range(prediction) + ", keeps " + Percent.of(coverage) + " of the requested events";
        }
    }

    /** Whether the request fits as it is (judged on its interval's upper end). */
    public boolean requestFits() {
        return budget.fits(requested);
    }

    /** The option to start with: the first, if any. */
    public Optional<Option> best() {
        return options.isEmpty() ? Optional.empty() : Optional.of(options.get(0));
    }

    /** For people, one line each. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        String request = ladders.stream().map(l -> l.request().name()).collect(Collectors.joining(" + "));
        lines.add("budget " + budget + ": " + request + " is predicted at " + range(requested) + " — "
                + (requestFits() ? "fits, runs as requested" : "does not fit (judged on the interval's upper end)"));
        if (requestFits()) {
            return lines;
        }
        if (options.isEmpty()) {
            lines.add("no variant that still sees anything fits the budget");
        }
        for (int i = 0; i < options.size(); i++) {
            lines.add((i == 0 ? "starts: " : "  or:   ") + options.get(i).describe());
        }
        lines.add(PROCESS_FILTER_NOTE);
        return lines;
    }

    /** {@code "2.5% (1.9–3.1%)"} */
    static String range(Prediction p) {
        return Percent.of(p.slowdown()) + " (" + Percent.of(p.low()) + "–" + Percent.of(p.high()) + ")";
    }
}
