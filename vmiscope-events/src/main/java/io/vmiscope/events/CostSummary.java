package io.vmiscope.events;

/**
 * What an introspection action has cost the monitored VM: the monitor's running summary, and one row of the
 * store's {@code costs} table (docs/store.md). It sits beside the events because it travels the same way — from
 * the monitor that measures it to the store that keeps it — and so both sides share this one type. Hits always add
 * up: {@code hits == hitsWithEvents + hitsFiltered + hitsFailed}.
 *
 * @param action               the action's id
 * @param hits                 hook hits (stops at the action's hooks)
 * @param hitsWithEvents       hits that produced at least one event
 * @param hitsFiltered         hits that produced none because the action's filter excluded them
 * @param hitsFailed           hits whose handler met unreadable guest data
 * @param events               events emitted (by hits, returns and periodic work)
 * @param returnHits           extra stops on return breakpoints (return values)
 * @param periodicRuns         periodic runs
 * @param stoppedNanos         VM-stopped time attributed to the action, host clock
 * @param stoppedMedianNanos   median VM-stopped time of one stop
 * @param stoppedP99Nanos      99th percentile of the same
 * @param roundTripsPerStop    protocol round trips per stop (shared stops split)
 * @param bytesPerStop         guest bytes read per stop
 * @param handlerNanosPerStop  time in the action's own code per stop (part of the stopped time)
 */
public record CostSummary(String action, long hits, long hitsWithEvents, long hitsFiltered, long hitsFailed,
                          long events, long returnHits, long periodicRuns, long stoppedNanos,
                          long stoppedMedianNanos, long stoppedP99Nanos, double roundTripsPerStop,
                          double bytesPerStop, long handlerNanosPerStop) {

    /** One line for people, e.g. for the end of {@code vmiscope monitor}. */
    public String describe() {
        return String.format("%s: %d hits (%d with events, %d filtered, %d failed), %d events, %d periodic runs; "
                        + "VM stopped %.1f ms in all, per stop median %.0f µs, p99 %.0f µs; "
                        + "%.1f round trips and %.0f bytes per stop; handler %.0f µs per stop",
                action, hits, hitsWithEvents, hitsFiltered, hitsFailed, events, periodicRuns, stoppedNanos / 1e6,
                stoppedMedianNanos / 1e3, stoppedP99Nanos / 1e3, roundTripsPerStop, bytesPerStop,
                handlerNanosPerStop / 1e3);
    }
}
