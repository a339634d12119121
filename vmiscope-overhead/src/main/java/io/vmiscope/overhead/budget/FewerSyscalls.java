package io.vmiscope.overhead.budget;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.HookRates;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Variants of a syscall trace that hook fewer syscalls: the busiest one dropped first, then the next,
 * as long as a syscall that is reached is left. Dropping the busiest buys the most stops per syscall
 * given up, and keeps the rare calls (execve, connect…), which usually tell the most. Syscalls never
 * reached in the measured rates are never dropped: they cost nothing.
 *
 * <p>A variant's profile keeps the requested action's id, so that a model fitted on the request predicts
 * it (with the request's armed-breakpoint cost) rather than a predictor that sees stops only.
 *
 * <p>Coverage: the share of the requested sites' stops (= events) the kept sites make at the VM's
 * current rates. Each syscall's sites (its 64-bit entry, whose symbol need not carry its name —
 * {@code lstat} enters at {@code __x64_sys_newlstat} — and its 32-bit ones) come from building it alone.
 * {@code syscalls:all} hooks one common entry and has no per-syscall rates: it has no such variants
 * (duty cycles still apply).
 */
final class FewerSyscalls {

    private FewerSyscalls() {
    }

    static List<Variant> of(ActionSpec spec, ActionProfile requested, HookRates rates, ActionCatalog catalog) {
        if (!(spec instanceof ActionSpec.Syscalls trace) || trace.all()) {
            return List.of();
        }
        Map<String, Double> rateByName = new HashMap<>();
        for (String name : catalog.syscalls(spec)) {
            rateByName.put(name, stopsPerSecond(catalog.profile(trace.only(List.of(name))), rates));
        }
        double total = stopsPerSecond(requested, rates);
        if (rateByName.size() < 2 || total <= 0) {
            return List.of();
        }
        List<String> busiestFirst = rateByName.keySet().stream().filter(n -> rateByName.get(n) > 0)
                .sorted(Comparator.comparingDouble((String n) -> rateByName.get(n)).reversed()
                        .thenComparing(Comparator.naturalOrder()))
                .toList();
        List<Variant> variants = new ArrayList<>();
        TreeSet<String> kept = new TreeSet<>(rateByName.keySet());
        List<String> dropped = new ArrayList<>();
        for (String name : busiestFirst) {
            if (kept.size() == 1) {
                break;
            }
            kept.remove(name);
            dropped.add(name);
            ActionSpec.Syscalls variantSpec = trace.only(List.copyOf(kept));
            // modelled as the requested trace on fewer sites: its stops are the kept sites', and under TCG what
            // its breakpoints cost merely by being inserted — fitted for the whole trace — stays as an upper bound
            ActionProfile profile = new ActionProfile(requested.id(), catalog.profile(variantSpec).sites(), null, false);
            double coverage = Math.min(1, stopsPerSecond(profile, rates) / total);
            if (coverage == 0) {
                break; // only never-reached syscalls left: it would see nothing
            }
            variants.add(new Variant(spec + " without " + String.join(", ", dropped), variantSpec, profile,
                    DutyCycle.FULL, coverage, "traces " + kept.size() + " of " + rateByName.size() + " syscalls"));
        }
        return variants;
    }

    private static double stopsPerSecond(ActionProfile profile, HookRates rates) {
        return profile.sites().stream().mapToDouble(rates::stopsPerSecond).sum();
    }
}
