package io.vmiscope.overhead.budget;

import io.vmiscope.events.ActionSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Variants of {@code procevents} that take periodic process snapshots instead ({@code pslist:1s},
 * {@code 2s}, {@code 5s}): no hook at all, only a walk per period. A snapshot sees processes, not the
 * moments they exec, fork or exit.
 *
 * <p>Coverage: the share of the processes born while watched that a snapshot every P catches at least
 * once, from their measured lifetimes ({@link ProcessLifetimes#shareSeenEvery}); 0 when no lifetimes
 * were measured — nothing then says how many a snapshot would miss. Only for process events of every
 * process: a snapshot cannot keep to some.
 */
final class SnapshotsInsteadOfEvents {

    private static final List<Duration> PERIODS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5));

    private SnapshotsInsteadOfEvents() {
    }

    static List<Variant> of(ActionSpec spec, ProcessLifetimes lifetimes, ActionCatalog catalog) {
        if (!(spec instanceof ActionSpec.ProcessEvents events) || !events.processes().isAll()) {
            return List.of();
        }
        List<Variant> variants = new ArrayList<>();
        for (Duration period : PERIODS) {
            ActionSpec snapshots = new ActionSpec.ProcessList(period, true);
            variants.add(new Variant(snapshots.toString(), snapshots, catalog.profile(snapshots), DutyCycle.FULL,
                    lifetimes.shareSeenEvery(period), "process snapshots instead of process events"));
        }
        return variants;
    }
}
