package io.vmiscope.cli;

import io.vmiscope.monitor.Monitor;

import java.time.Duration;

/**
 * A monitor's loop on a daemon thread of its own, for commands that measure something while it runs.
 * Closing ends the loop (every breakpoint removed, the VM running) and rethrows what made the loop
 * fail, so a failure is never silent.
 */
final class BackgroundLoop implements AutoCloseable {

    private static final long JOIN_MILLIS = 30_000;

    private final Monitor monitor;
    private final Thread thread;
    private volatile RuntimeException failure;

    private BackgroundLoop(Monitor monitor, String name) {
        this.monitor = monitor;
        this.thread = new Thread(() -> {
            try {
                monitor.run(Duration.ofDays(1));
            } catch (RuntimeException e) {
                failure = e;
            }
        }, name);
        thread.setDaemon(true);
    }

    /** Starts {@code monitor}'s loop on a thread called {@code name}. */
    static BackgroundLoop start(Monitor monitor, String name) {
        BackgroundLoop loop = new BackgroundLoop(monitor, name);
        loop.thread.start();
        return loop;
    }

    /** Throws what made the loop fail, if it has. */
    void throwIfFailed() {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }

    @Override
    public void close() {
        monitor.requestEnd();
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throwIfFailed();
    }
}
