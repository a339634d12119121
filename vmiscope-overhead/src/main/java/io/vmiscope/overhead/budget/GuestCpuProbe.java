package io.vmiscope.overhead.budget;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;

/**
 * The VM's slowdown read from the guest kernel's own CPU accounting, with nothing run in the guest: the share
 * of guest time its CPUs were idle, against the share while nothing was monitored.
 *
 * <p><b>Why idle time.</b> A service answers clients that wait for it: a request arrives, the guest works on
 * it, answers, and idles until the next one. Monitoring makes each request's work take longer: under TCG
 * the re-translation after each stop, which the guest's clock counts as busy time, and the stops themselves,
 * which it does not count at all (its clock stands still). The time between requests does not grow. With
 * think time {@code t} between a client's requests, a request's busy time {@code B} and stopped time
 * {@code S} (stops come from hooks the request's work hits, not from the idle guest), the guest idles
 * {@code idle = t / (t + B)} of its own time, the VM is stopped {@code s = S / (t + B + S)} of the host's,
 * and a request is served every {@code t + B + S = t / (idle · (1 − s))}: the service's slowdown is
 * {@code idle₀ / (idle₁ · (1 − s)) − 1}. Guest time elapsed is the host's time less the VM-stopped time.
 *
 * <p><b>What it cannot see.</b> A guest that is never idle (a CPU-bound batch job, an open-loop load that
 * saturates it): no reading, or one that only says "at least". A guest whose own load changes while it is
 * watched: a heavier load reads as a slowdown, a lighter one hides one — the baseline is taken once, before
 * any action runs.
 *
 * <p>A request can take seconds under monitoring, so one second says little: each reading covers at least
 * the last {@value #WINDOW_SECONDS} s (since the controller's last move, when that is shorter). Threads: {@link #accept} on the monitor's thread, {@link #slowdownSinceLastCall} on the
 * controller's.
 */
public final class GuestCpuProbe implements WorkloadProbe {

    /** Below this idle share at baseline, the guest is saturated: the probe cannot see a slowdown. */
    static final double LEAST_BASELINE_IDLE = 0.05;
    /** An idle share this small or smaller reads as this: the ratio stays finite. */
    static final double LEAST_IDLE = 0.002;

    /** Least span of one reading, when the samples since the last move allow it. */
    static final int WINDOW_SECONDS = 5;
    /** Samples kept: enough for the window at one a second, with room. */
    private static final int KEPT = 4 * WINDOW_SECONDS;

    private final int cpus;
    private final Deque<Sample> recent = new ArrayDeque<>();
    private final LongSupplier stoppedNanos;
    private final long baselineNanos;
    private Sample first;
    private Sample last;
    private Sample sinceLastCall;
    /** The first sample after the controller's last move: readings reach back no further. */
    private Sample sinceRestart;
    private double baselineIdle = Double.NaN;
    private double latestIdle = Double.NaN;

    private record Sample(long monotonicNanos, long busyNanos, long stoppedNanos) {
    }

    /** Most of the host's time the VM is taken to be stopped: the ratio stays finite. */
    static final double MOST_STOPPED = 0.95;

    /**
     * @param cpus          the VM's CPUs
     * @param stoppedNanos  the VM-stopped time so far (the monitor's total), read beside each reading
     * @param baselineNanos how long the first readings make the baseline
     */
    public GuestCpuProbe(int cpus, LongSupplier stoppedNanos, long baselineNanos) {
        this.cpus = cpus;
        this.stoppedNanos = stoppedNanos;
        this.baselineNanos = baselineNanos;
    }

    /** One reading of the guest's busy time (all CPUs, nanoseconds since boot) at host time {@code monotonicNanos}. */
    public synchronized void accept(long monotonicNanos, long busyNanos) {
        Sample s = new Sample(monotonicNanos, busyNanos, stoppedNanos.getAsLong());
        if (first == null) {
            first = s;
            sinceLastCall = s;
        } else if (Double.isNaN(baselineIdle) && monotonicNanos - first.monotonicNanos >= baselineNanos) {
            baselineIdle = idle(first, s);
            sinceLastCall = s;
            sinceRestart = s;
            recent.clear();
        }
        last = s;
        recent.addLast(s);
        while (recent.size() > KEPT) {
            recent.removeFirst();
        }
    }

    @Override
    public synchronized void restart() {
        sinceRestart = last;
        recent.clear();
        if (last != null) {
            recent.addLast(last);
        }
    }

    /** Where a reading starts: {@value #WINDOW_SECONDS} s before the newest sample, but not before the last move. */
    private Sample windowStart() {
        Sample from = sinceLastCall;
        for (Sample s : recent) {
            if (last.monotonicNanos - s.monotonicNanos < WINDOW_SECONDS * 1_000_000_000L) {
                break;
            }
            if (s.monotonicNanos < from.monotonicNanos) {
                from = s;
            }
        }
        if (sinceRestart != null && from.monotonicNanos < sinceRestart.monotonicNanos) {
            from = sinceRestart;
        }
        return from;
    }

    /** Whether the baseline has been taken. */
    public synchronized boolean hasBaseline() {
        return !Double.isNaN(baselineIdle);
    }

    @Override
    public synchronized OptionalDouble slowdownSinceLastCall() {
        if (Double.isNaN(baselineIdle) || baselineIdle < LEAST_BASELINE_IDLE || last == sinceLastCall) {
            return OptionalDouble.empty();
        }
        Sample from = windowStart();
        if (from == last) {
            return OptionalDouble.empty(); // nothing since the last move yet
        }
        latestIdle = idle(from, last);
        double stopped = Math.min(MOST_STOPPED, stoppedShare(from, last));
        sinceLastCall = last;
        return OptionalDouble.of(Math.max(0, baselineIdle / (Math.max(LEAST_IDLE, latestIdle) * (1 - stopped)) - 1));
    }

    /** One line for people: what it compares, e.g. {@code "guest CPUs idle 62% unmonitored, 18% now"}. */
    @Override
    public synchronized String describe() {
        if (Double.isNaN(baselineIdle)) {
            return "guest CPU idle time: measuring the unmonitored baseline";
        }
        if (baselineIdle < LEAST_BASELINE_IDLE) {
            return String.format(Locale.ROOT, "guest CPUs idle %.1f%% unmonitored: saturated, the idle-time probe "
                    + "cannot see a slowdown", 100 * baselineIdle);
        }
        return String.format(Locale.ROOT, "guest CPUs idle %.0f%% unmonitored, %s now", 100 * baselineIdle,
                Double.isNaN(latestIdle) ? "not read yet" : String.format(Locale.ROOT, "%.0f%%", 100 * latestIdle));
    }

    /** The share of the host's time the VM was stopped between two samples. */
    private static double stoppedShare(Sample from, Sample to) {
        long wall = to.monotonicNanos - from.monotonicNanos;
        return wall <= 0 ? 0 : Math.max(0, (double) (to.stoppedNanos - from.stoppedNanos) / wall);
    }

    /** The idle share of guest CPU time between two samples. */
    private double idle(Sample from, Sample to) {
        double guestNanos = (double) (to.monotonicNanos - from.monotonicNanos) - (to.stoppedNanos - from.stoppedNanos);
        if (guestNanos <= 0) {
            return 0;
        }
        double busy = Math.max(0, to.busyNanos - from.busyNanos);
        return Math.max(0, Math.min(1, 1 - busy / (guestNanos * cpus)));
    }
}
