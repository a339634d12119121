package io.vmiscope.overhead.budget;

import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;

/**
 * The VM's slowdown read from the guest kernel's own CPU accounting, with nothing run in the guest: the share
 * of guest time its CPUs were idle, against the share while nothing was monitored.
 *
 * <p><b>Why idle time.</b> A service answers clients that wait for it: a request arrives, the guest works on
 * it, answers, and idles until the next one. Monitoring makes each request's work take longer (VM stops, and
 * under TCG the re-translation after each stop, which the guest's clock counts as busy time); the time
 * between requests does not grow. With think time {@code t} between a client's requests and a request's
 * busy time {@code L}, the guest idles {@code t / (t + L)} of the time and serves a request every
 * {@code t + L}: the slowdown of the service is {@code idle₀ / idle₁ − 1}. Time the VM is stopped passes for
 * the clients but not for the guest's clock, and cancels out of that ratio: only the guest-time shares are
 * needed. Guest time elapsed is the host's time less the VM-stopped time.
 *
 * <p><b>What it cannot see.</b> A guest that is never idle (a CPU-bound batch job, an open-loop load that
 * saturates it): no reading, or one that only says "at least". A guest whose own load changes while it is
 * watched: a heavier load reads as a slowdown, a lighter one hides one — the baseline is taken once, before
 * any action runs. Threads: {@link #accept} on the monitor's thread, {@link #slowdownSinceLastCall} on the
 * controller's.
 */
public final class GuestCpuProbe implements WorkloadProbe {

    /** Below this idle share at baseline, the guest is saturated: the probe cannot see a slowdown. */
    static final double LEAST_BASELINE_IDLE = 0.05;
    /** An idle share this small or smaller reads as this: the ratio stays finite. */
    static final double LEAST_IDLE = 0.002;

    private final int cpus;
    private final LongSupplier stoppedNanos;
    private final long baselineNanos;
    private Sample first;
    private Sample last;
    private Sample sinceLastCall;
    private double baselineIdle = Double.NaN;
    private double latestIdle = Double.NaN;

    private record Sample(long monotonicNanos, long busyNanos, long stoppedNanos) {
    }

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
        }
        last = s;
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
        latestIdle = idle(sinceLastCall, last);
        sinceLastCall = last;
        return OptionalDouble.of(Math.max(0, baselineIdle / Math.max(LEAST_IDLE, latestIdle) - 1));
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
