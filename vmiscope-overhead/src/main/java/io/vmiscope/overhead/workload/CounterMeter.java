package io.vmiscope.overhead.workload;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Measures a guest-side workload's rate: reads its operation counter through the guest shell at the
 * start and at the end of the window, and divides the difference by the time between the two reads
 * on the <em>host's</em> clock ({@link System#nanoTime()}, each read timed at the middle of its round
 * trip).
 *
 * <p>Why the host's clock: while a debugger holds the VM its vCPUs are stopped and so is the guest's
 * clock, so a rate timed inside the guest would not fall at all when introspection stops the VM —
 * in-guest timings understate the overhead. The host's clock runs on, and the work not done while the
 * VM was held shows as a lower rate.
 *
 * <p>Resolution: the counter advances once per batch of operations (a few times a second unmonitored),
 * so one window is accurate to about one batch; the less a window holds, the coarser its rate.
 */
final class CounterMeter {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final String workload;
    private final String readCommand;

    /**
     * @param workload    the workload's name, for messages
     * @param readCommand prints the counter, fails when the workload does not run
     */
    CounterMeter(String workload, String readCommand) {
        this.workload = workload;
        this.readCommand = readCommand;
    }

    Rate measure(GuestShell shell, Duration window) {
        CounterSample first = read(shell);
        // Send the last read so that its middle falls a window after the first one's.
        long lastSent = first.atNanos() + window.toNanos() - (first.answeredNanos() - first.atNanos());
        sleepUntil(lastSent);
        return rate(workload, first, read(shell));
    }

    /** The rate between two readings of one run of the workload. */
    static Rate rate(String workload, CounterSample first, CounterSample last) {
        if (last.count() < first.count()) {
            throw new IllegalStateException("workload " + workload + " restarted during the window (its counter went from "
                    + first.count() + " back to " + last.count() + ")");
        }
        return new Rate(last.count() - first.count(), (last.atNanos() - first.atNanos()) / 1e9, Optional.empty());
    }

    private CounterSample read(GuestShell shell) {
        long sent = System.nanoTime();
        String output = shell.run(readCommand, READ_TIMEOUT);
        long answered = System.nanoTime();
        return new CounterSample(CounterSample.parseCount(workload, output), sent, answered);
    }

    private void sleepUntil(long nanoTime) {
        long left = nanoTime - System.nanoTime();
        try {
            TimeUnit.NANOSECONDS.sleep(Math.max(0, left));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring workload " + workload, e);
        }
    }
}
