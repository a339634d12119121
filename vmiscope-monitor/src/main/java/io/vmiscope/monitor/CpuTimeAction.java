package io.vmiscope.monitor;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads the guest kernel's CPU accounting at a fixed period and hands each reading to a listener, not to the
 * event stream: it is a probe of the VM's state for the budget, not something the VM did. It hooks nothing,
 * so under TCG it costs no re-translation; each run stops the VM for a few memory reads, charged to this
 * action like any other's.
 */
public final class CpuTimeAction implements Action {

    /**
     * One reading.
     *
     * @param monotonicNanos host {@link System#nanoTime()} when it was read
     * @param busyNanos      each CPU's busy nanoseconds since boot, by the guest's clock
     */
    public record Reading(long monotonicNanos, long[] busyNanos) {

        /** The busy time of every CPU together. */
        public long totalBusyNanos() {
            long sum = 0;
            for (long b : busyNanos) {
                sum += b;
            }
            return sum;
        }
    }

    private final Duration period;
    private final Consumer<Reading> listener;

    /** @param listener called on the monitor's thread */
    public CpuTimeAction(Duration period, Consumer<Reading> listener) {
        this.period = period;
        this.listener = listener;
    }

    @Override
    public String id() {
        return "cputime:" + (period.toMillis() % 1000 == 0 ? period.toSeconds() + "s" : period.toMillis() + "ms");
    }

    @Override
    public Optional<Periodic> periodic() {
        return Optional.of(new Periodic(period, true,
                tick -> listener.accept(new Reading(System.nanoTime(), tick.linux().cpuTimes().busyNanos()))));
    }
}
