package io.vmiscope.web;

import io.vmiscope.analysis.VmActivity;
import io.vmiscope.session.live.ActionStatus;
import io.vmiscope.session.live.LiveVm;
import io.vmiscope.session.live.SlowdownEstimate;

import java.util.List;

/** One VM in the overview ({@code VmOverview} of openapi.yaml). */
record VmOverview(String vm, boolean live, String status, List<String> sources, long events, long processes,
                  Long firstNanos, Long lastNanos, double eventsPerSecond, List<ActionStatus> actions, Double slowdown,
                  String slowdownBasis, Boolean slowdownLowerBound, Double budget, int alerts) {

    /** Seconds over which {@link VmActivity#eventsLastMinute()} was counted. */
    private static final double MINUTE = 60.0;

    static VmOverview of(VmActivity stored, LiveVm live) {
        long events = stored == null ? 0 : stored.events();
        double rate = stored == null ? 0 : stored.eventsLastMinute()
                / Math.min(MINUTE, Math.max(1.0, ((double) stored.lastNanos() - stored.firstNanos()) / 1e9)); // as double: no overflow
        List<String> sources = stored == null ? List.of("live") : stored.sources();
        if (live == null) {
            return new VmOverview(stored.vm(), false, sources.contains("live") ? "ended" : "imported", sources, events,
                    stored.processes(), stored.firstNanos(), stored.lastNanos(), rate, List.of(), null, null, null, null, 0);
        }
        return new VmOverview(live.name(), true, live.monitoring() ? "monitoring" : "ended", sources, events,
                stored == null ? 0 : stored.processes(), stored == null ? null : stored.firstNanos(),
                stored == null ? null : stored.lastNanos(), rate, live.actions(),
                live.slowdown().map(SlowdownEstimate::slowdown).orElse(null),
                live.slowdown().map(SlowdownEstimate::basis).orElse(null),
                live.slowdown().map(SlowdownEstimate::lowerBound).orElse(null),
                live.budget().map(b -> b.maxSlowdown()).orElse(null), 0);
    }
}
