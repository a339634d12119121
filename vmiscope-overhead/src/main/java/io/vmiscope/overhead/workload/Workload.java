package io.vmiscope.overhead.workload;

import java.time.Duration;

/**
 * A steady activity in the guest whose rate shows how much introspection slows the guest down. Each
 * operation is a fixed amount of work, so the rate (operations per second of the host's wall clock)
 * falls exactly as much as the guest is held back.
 *
 * <p>A workload object holds no state of its own: what runs is in the guest, so any process can stop
 * or measure a workload another one started. Not meant to be used on one guest from two threads.
 */
public sealed interface Workload permits GuestLoopWorkload, WebWorkload {

    /** Lower-case name, e.g. {@code cpu}. */
    String name();

    /** What one operation is, in one sentence. */
    String operation();

    /**
     * Starts the workload; when it runs already it is restarted (its counter starts again from 0).
     * Returns once it runs.
     *
     * @throws IllegalStateException when it cannot start (a {@link GuestCommandException} for a
     *                               guest-side workload)
     */
    void start(WorkloadGuest guest);

    /** Stops the workload and removes everything it left in the guest; nothing happens when it does not run. */
    void stop(WorkloadGuest guest);

    /**
     * Measures the running workload's rate over about {@code window} of the host's wall clock.
     * Blocks for the window.
     *
     * @throws IllegalStateException when the workload does not run, restarted during the window, or
     *                               (web) a request failed
     */
    Rate measure(WorkloadGuest guest, Duration window);

    /**
     * Follows the running workload's progress from now on, for a budget controller: the guest loops' counter
     * lines, the web workload's request latency. It reads nothing until given its {@link ProgressProbe#baseline}.
     *
     * @throws IllegalStateException when the workload cannot be followed
     */
    ProgressProbe probe(WorkloadGuest guest);
}
