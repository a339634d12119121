package io.vmiscope.overhead.budget;

import io.vmiscope.events.ActionSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Variants of a periodic snapshot ({@code pslist:P}, {@code modules:P}) or of periodic integrity checks
 * ({@code checks:P}) that run less often: every 2P,
 * 4P and 8P (at most every 10 minutes); and, for a paused process list, the unpaused walk at the same
 * period (the VM runs between the walk's steps: shorter stops, a view the kernel may change mid-walk;
 * coverage 1).
 *
 * <p>Coverage of a snapshot every kP instead of P: what it still catches of the processes born while
 * watched, {@code share(kP) / share(P)} from their measured lifetimes ({@link ProcessLifetimes}). With
 * no lifetimes measured, and for modules (nothing says how long they stay loaded), every item is taken
 * as short-lived — seen with probability proportional to the snapshot rate — so coverage is 1/k, a
 * lower bound: long-lived ones are seen by every variant. Integrity checks keep coverage 1: what a rootkit
 * hides stays hidden, so every variant finds it, up to kP later.
 */
final class SlowerSnapshots {

    private static final int[] FACTORS = {2, 4, 8};
    private static final Duration LONGEST = Duration.ofMinutes(10);

    private SlowerSnapshots() {
    }

    static List<Variant> of(ActionSpec spec, ProcessLifetimes lifetimes, ActionCatalog catalog) {
        ActionSpec.ProcessList processes = spec instanceof ActionSpec.ProcessList l ? l : null;
        ActionSpec.Checks checks = spec instanceof ActionSpec.Checks c ? c : null;
        if (processes == null && checks == null && !(spec instanceof ActionSpec.ModuleList)) {
            return List.of();
        }
        Duration period = processes != null ? processes.period()
                : checks != null ? checks.period() : ((ActionSpec.ModuleList) spec).period();
        List<Variant> variants = new ArrayList<>();
        if (processes != null && processes.paused()) {
            ActionSpec unpaused = new ActionSpec.ProcessList(period, false);
            variants.add(new Variant(unpaused.toString(), unpaused, catalog.profile(unpaused), DutyCycle.FULL, 1.0,
                    "unpaused walk (the view may change mid-walk)"));
        }
        for (int k : FACTORS) {
            Duration longer = period.multipliedBy(k);
            if (longer.compareTo(LONGEST) > 0) {
                break;
            }
            ActionSpec variantSpec = processes != null ? processes.every(longer)
                    : checks != null ? checks.every(longer) : new ActionSpec.ModuleList(longer);
            double coverage = checks != null ? 1.0 : processes != null && lifetimes.known() && lifetimes.shareSeenEvery(period) > 0
                    ? Math.min(1, lifetimes.shareSeenEvery(longer) / lifetimes.shareSeenEvery(period))
                    : 1.0 / k;
            variants.add(new Variant(variantSpec.toString(), variantSpec, catalog.profile(variantSpec), DutyCycle.FULL, coverage,
                    "every " + Periods.describe(longer) + " instead of " + Periods.describe(period)));
        }
        return variants;
    }
}
