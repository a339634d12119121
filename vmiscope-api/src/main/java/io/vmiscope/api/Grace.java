package io.vmiscope.api;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The wait of a shutdown hook that lets the code owning a resource close it first: on Ctrl-C or SIGTERM the JVM's
 * other threads go on, and closing under them would break their last exchange (a detach, a VM stop).
 */
public final class Grace {

    private static final long POLL_MILLIS = 20;

    private Grace() {
    }

    /**
     * Waits until {@code done} holds or {@code within} has passed; an interrupt ends the wait at once and keeps
     * the thread's interrupt flag.
     */
    public static void await(BooleanSupplier done, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        try {
            while (!done.getAsBoolean() && System.nanoTime() < deadline) {
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
