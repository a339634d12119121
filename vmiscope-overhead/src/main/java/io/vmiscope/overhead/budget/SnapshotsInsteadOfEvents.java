package io.vmiscope.overhead.budget;

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
 * were measured — nothing then says how many a snapshot would miss.
 */
final class SnapshotsInsteadOfEvents {

    private static final List<Duration> PERIODS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5));

    private SnapshotsInsteadOfEvents() {
    }

    static List<Variant> of(String spec, ProcessLifetimes lifetimes, ActionCatalog catalog) {
        if (!spec.equals("procevents")) {
            return List.of();
        }
        List<Variant> variants = new ArrayList<>();
        for (Duration period : PERIODS) {
            String snapshots = "pslist:" + Periods.spec(period);
            variants.add(new Variant(snapshots, snapshots, catalog.profile(snapshots), DutyCycle.FULL,
                    lifetimes.shareSeenEvery(period), "process snapshots instead of process events"));
        }
        return variants;
    }
}
