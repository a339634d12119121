package io.vmiscope.session;

import io.vmiscope.events.CostSummary;
import io.vmiscope.events.EventSink;
import io.vmiscope.monitor.Action;
import io.vmiscope.monitor.Monitor;
import io.vmiscope.store.DuckDbEventStore;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One live VM watched for a while: the actions start, every event goes to the session's sinks (built up front
 * by the caller: the output, the store, the browsers' stream, detectors), Ctrl-C or the time limit ends it,
 * and every action's cost is reported and, with a store, stored. The VM runs with no breakpoint left when
 * it returns. {@code monitor}, {@code monitor --budget} and {@code demo} all run through it.
 *
 * <pre>
 *   hit ──▶ Monitor (stop, decode, resume) ──▶ SessionSinks ──┬─▶ output (lines / JSON lines)
 *                ▲                                             ├─▶ store (queued appender)
 *                │ start / stop / degrade                      ├─▶ browsers' stream
 *           Starter: the actions as asked, or the budget       └─▶ live controls (one-shots, detectors)
 *           controller and the browser's on-demand actions
 * </pre>
 */
public final class Session {

    /** How a run's actions start, and what runs beside the monitor's loop (e.g. a budget controller). */
    @FunctionalInterface
    public interface Starter {
        /**
         * Starts the actions in {@code monitor} before its loop runs; their events go to {@code sink}.
         *
         * @return closed when the loop has ended, before the costs are reported
         */
        Beside start(Monitor monitor, EventSink sink);
    }

    /** What runs beside the loop; closing ends it. */
    @FunctionalInterface
    public interface Beside extends AutoCloseable {

        /** Nothing beside the loop. */
        Beside NOTHING = () -> { };

        @Override
        void close();
    }

    private Session() {
    }

    /**
     * Runs {@code actions} as they are.
     *
     * @param started receives the monitor once its actions are queued (e.g. to end it from the output)
     */
    public static void run(Target target, List<Action> actions, SessionSinks sinks, Optional<DuckDbEventStore> store,
                           Duration limit, Consumer<Monitor> started, Consumer<String> log) {
        run(target, (monitor, sink) -> {
            actions.forEach(monitor::start);
            started.accept(monitor);
            return Beside.NOTHING;
        }, sinks, store, limit, log);
    }

    /**
     * Runs the actions {@code starter} starts (and maybe controls while the loop runs) for at most {@code limit}.
     *
     * @param store where the costs go at the end; the session closes it last (the caller adds it to the sinks for
     *              the events): a Ctrl-C waits for that
     * @param log   one line at a time for people: what runs, what it cost
     */
    public static void run(Target target, Starter starter, SessionSinks sinks, Optional<DuckDbEventStore> store,
                           Duration limit, Consumer<String> log) {
        CountDownLatch reported = new CountDownLatch(1);
        try (EventSink sink = sinks) {
            Monitor monitor = new Monitor(target.connection(), target.linux(), sink, Monitor.Options.named(target.name()));
            Beside beside = starter.start(monitor, sink);
            Thread onCtrlC = new Thread(() -> {
                monitor.requestEnd();
                try {
                    reported.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "vmiscope-monitor-end");
            Runtime.getRuntime().addShutdownHook(onCtrlC);
            log.accept("monitoring " + target.name() + " (" + target.linux().location() + "); Ctrl-C ends");
            try {
                monitor.run(limit);
            } finally {
                beside.close();
                log.accept("cost per action:");
                for (CostSummary cost : monitor.costs()) {
                    log.accept("  " + cost.describe());
                }
                store.ifPresent(s -> s.recordCosts(target.name(), monitor.costs()));
            }
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the JVM is already ending, the hook has done its part
            }
        } finally {
            try {
                store.ifPresent(s -> {
                    s.close();
                    log.accept("store: " + s.stats().describe());
                });
            } finally {
                reported.countDown();
            }
        }
    }
}
