package io.vmiscope.store;

/**
 * What one introspection action cost the monitored VM over a session, as stored in the {@code costs}
 * table (one row per action per session end). The same columns as the monitor's cost summary; the
 * store keeps its own type so that it depends on the event shape only.
 *
 * @param action               the action's id
 * @param hits                 hook hits
 * @param hitsWithEvents       hits that produced at least one event
 * @param hitsFiltered         hits excluded by the action's filter
 * @param hitsFailed           hits whose handler met unreadable guest data
 * @param events               events emitted
 * @param returnHits           extra stops on return breakpoints
 * @param periodicRuns         periodic runs
 * @param stoppedNanos         VM-stopped time attributed to the action, host clock, nanoseconds
 * @param stoppedMedianNanos   median VM-stopped time of one stop, nanoseconds
 * @param stoppedP99Nanos      99th percentile of the same, nanoseconds
 * @param roundTripsPerStop    protocol round trips per stop
 * @param bytesPerStop         guest bytes read per stop
 * @param handlerNanosPerStop  time in the action's own code per stop, nanoseconds
 */
public record CostRecord(String action, long hits, long hitsWithEvents, long hitsFiltered, long hitsFailed,
                         long events, long returnHits, long periodicRuns, long stoppedNanos,
                         long stoppedMedianNanos, long stoppedP99Nanos, double roundTripsPerStop,
                         double bytesPerStop, long handlerNanosPerStop) {
}
