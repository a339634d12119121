package io.vmiscope.session.live;

/**
 * An action's measured cost so far ({@code RunningAction} of openapi.yaml).
 *
 * @param stoppedFraction VM-stopped time over the time it has run; {@code null} where that time is unknown
 *                        (costs stored by an earlier session)
 */
public record ActionStatus(String id, boolean running, long hits, long events, long periodicRuns, long stoppedNanos,
                           Double stoppedFraction, long stoppedMedianNanos, long stoppedP99Nanos) {
}
