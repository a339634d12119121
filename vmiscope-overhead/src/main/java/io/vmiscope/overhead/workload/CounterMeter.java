package io.vmiscope.overhead.workload;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Measures a guest-side workload's rate from the counter lines its loop writes to the guest's first
 * serial port after every batch ({@code vmiscope-wl NAME COUNT}), which QEMU appends to a file on the
 * host: the host follows that file and stamps each line with its own clock as it arrives.
 *
 * <p>Why the host's clock: while a debugger holds the VM its vCPUs are stopped and so is the guest's
 * clock, so a rate timed inside the guest would not fall at all when introspection stops the VM. The
 * host's clock runs on, and the work not done while the VM was held shows as a lower rate.
 *
 * <p>Why the serial port and not the test console: reading a file through the console starts guest
 * processes (the console's shell, {@code timeout}), and under an action that hooks process creation
 * every such read would itself cost the guest several breakpoint stops. A line written to a serial
 * port costs a few port writes and nothing else.
 *
 * <p>The rate runs from the first counter line after the window starts to the first one after it
 * ends: whole batches, so the counter's step does not blur it; the window stretches by up to a batch
 * at each end, and at most to {@value #STRETCH}× its length when monitoring slows the workload that much.
 */
final class CounterMeter {

    /** How far a window may stretch to end on a counter line. */
    static final int STRETCH = 4;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final String workload;
    private final LongSupplier clock;

    CounterMeter(String workload, LongSupplier clock) {
        this.workload = workload;
        this.clock = clock;
    }

    Rate measure(Path serialLog, Duration window) {
        try (CounterFollower follower = new CounterFollower(workload, serialLog, clock)) {
            List<CounterFollower.Edge> edges = new ArrayList<>();
            long start = clock.getAsLong();
            long end = start + window.toNanos();
            long latest = start + STRETCH * window.toNanos();
            while (true) {
                List<CounterFollower.Edge> arrived = follower.poll();
                edges.addAll(arrived);
                long now = clock.getAsLong();
                boolean endedOnALine = edges.size() >= 2 && edges.get(edges.size() - 1).atNanos() >= end;
                if (endedOnALine || now >= latest) {
                    return rate(workload, edges, (now - start) / 1e9);
                }
                if (arrived.isEmpty()) {
                    TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring workload " + workload, e);
        }
    }

    /**
     * The rate between the first and the last counter line; none or one line (a workload slowed
     * beyond measure within the stretched window) gives a rate of 0 over the time waited.
     */
    static Rate rate(String workload, List<CounterFollower.Edge> edges, double waitedSeconds) {
        if (edges.size() < 2) {
            return new Rate(0, waitedSeconds, Optional.empty());
        }
        CounterFollower.Edge first = edges.get(0);
        CounterFollower.Edge last = edges.get(edges.size() - 1);
        if (last.count() < first.count()) {
            throw new IllegalStateException("workload " + workload + " restarted during the window (its counter went from "
                    + first.count() + " back to " + last.count() + ")");
        }
        return new Rate(last.count() - first.count(), (last.atNanos() - first.atNanos()) / 1e9, Optional.empty());
    }
}
