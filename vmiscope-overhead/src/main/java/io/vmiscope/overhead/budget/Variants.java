package io.vmiscope.overhead.budget;

import io.vmiscope.overhead.HookRates;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every cheaper way to run one requested action that the variant sources know: its structural
 * variants ({@link FewerSyscalls}, {@link SlowerSnapshots}, {@link SnapshotsInsteadOfEvents}), and
 * each hooking one — the request included — time-boxed ({@link DutyCycles}).
 */
final class Variants {

    private Variants() {
    }

    /** The candidates besides the request itself, unranked. */
    static List<Variant> of(Variant request, HookRates rates, ProcessLifetimes lifetimes, ActionCatalog catalog,
                            Duration dutyPeriod) {
        List<Variant> structural = new ArrayList<>();
        structural.addAll(FewerSyscalls.of(request.spec(), request.profile(), rates, catalog));
        structural.addAll(SlowerSnapshots.of(request.spec(), lifetimes, catalog));
        structural.addAll(SnapshotsInsteadOfEvents.of(request.spec(), lifetimes, catalog));
        List<Variant> all = new ArrayList<>(structural);
        all.addAll(DutyCycles.of(request, dutyPeriod));
        for (Variant v : structural) {
            all.addAll(DutyCycles.of(v, dutyPeriod));
        }
        return all;
    }
}
