package io.vmiscope.overhead.budget;

import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.HookRates;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Guest time a stop costs beyond the VM-stopped time the monitor measures: under TCG, QEMU discards
 * all translated code at each breakpoint stop and the guest re-translates afterwards
 * (docs/gdbstub.md). The controller adds {@code stops × penalty} to the measured stopped time.
 */
@FunctionalInterface
public interface StopPenalty {

    /** No penalty: the stopped time is all a stop costs (KVM, or a model that knows no more). */
    StopPenalty NONE = site -> 0;

    /** Seconds of guest time lost per stop at {@code site}, beyond the stopped time; ≥ 0. */
    double secondsPerStop(String site);

    /**
     * The penalty the model implies: for each requested hooking action, the model's predicted guest time
     * lost per stop (its predicted slowdown over its predicted stops per second, both while on) minus the
     * stopped time per stop measured there, given to each of its sites; a site several actions hook takes
     * the largest.
     *
     * @param measuredSecondsPerStop stopped seconds per stop measured at each site (a counting pass)
     */
    static StopPenalty implied(List<Ladder> ladders, HookRates rates, Map<String, Double> measuredSecondsPerStop) {
        Map<String, Double> penalty = new HashMap<>();
        for (Ladder ladder : ladders) {
            Ladder.Level top = ladder.level(0);
            ActionProfile profile = top.variant().profile();
            double stopsPerSecond = profile.sites().stream().mapToDouble(rates::stopsPerSecond).sum();
            if (profile.periodic() || stopsPerSecond <= 0) {
                continue;
            }
            // slowdown s with r stops per unmonitored second: each stop costs s / r of guest time
            double lostPerStop = top.whileOn().slowdown() / stopsPerSecond;
            double measured = profile.sites().stream()
                    .mapToDouble(s -> rates.stopsPerSecond(s) * measuredSecondsPerStop.getOrDefault(s, 0.0)).sum()
                    / stopsPerSecond;
            double extra = Math.max(0, lostPerStop - measured);
            profile.sites().forEach(site -> penalty.merge(site, extra, Math::max));
        }
        Map<String, Double> table = Map.copyOf(penalty);
        return site -> table.getOrDefault(site, 0.0);
    }
}
