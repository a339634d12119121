package io.vmiscope.cli;

import io.vmiscope.events.CostSummary;
import io.vmiscope.events.Event;
import io.vmiscope.events.EventSink;
import io.vmiscope.monitor.Action;
import io.vmiscope.monitor.Monitor;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.StoreOptions;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One monitoring session as the commands run it: the actions start, events go to the output (and to
 * the store when one is given), Ctrl-C or the time limit ends it, and every action's cost is printed
 * (and stored). The VM runs with no breakpoint left when it returns.
 */
final class MonitoringRun {

    /**
     * @param limit        longest run
     * @param db           the DuckDB store for events and costs, or null
     * @param dropWhenFull with a store: drop (and count) events when it falls behind instead of waiting
     */
    record Settings(Duration limit, Path db, boolean dropWhenFull) {
    }

    /** How a run's actions start, and what runs beside the monitor's loop (e.g. a budget controller). */
    @FunctionalInterface
    interface Starter {
        /**
         * Starts the actions in {@code monitor} before its loop runs; events go to {@code sink}.
         *
         * @param store the run's store, when it has one (e.g. for a UI over what is stored)
         * @return closed when the loop has ended, before the costs are printed
         */
        Beside start(Monitor monitor, EventSink sink, Optional<DuckDbEventStore> store);
    }

    /** What runs beside the loop; closing ends it. */
    @FunctionalInterface
    interface Beside extends AutoCloseable {
        @Override
        void close();
    }

    private MonitoringRun() {
    }

    /** @param started receives the monitor once its actions are queued (e.g. to end it from the output) */
    static void run(TargetOptions.Session session, List<Action> actions, EventSink output, Settings settings,
                    Consumer<Monitor> started) {
        run(session, (monitor, sink, store) -> {
            actions.forEach(monitor::start);
            started.accept(monitor);
            return () -> { };
        }, output, settings);
    }

    /** The same, with the actions started (and maybe controlled while the loop runs) by {@code starter}. */
    static void run(TargetOptions.Session session, Starter starter, EventSink output, Settings settings) {
        PrintStream err = System.err;
        DuckDbEventStore store = settings.db() == null ? null : DuckDbEventStore.open(settings.db(),
                StoreOptions.defaults().withDropWhenFull(settings.dropWhenFull())
                        .withWarnings(warning -> err.println("vmiscope: " + warning)));
        CountDownLatch reported = new CountDownLatch(1);
        try (EventSink sink = alsoTo(store, output)) {
            Monitor monitor = new Monitor(session.driver(), session.linux(), sink, Monitor.Options.named(session.name()));
            Beside beside = starter.start(monitor, sink, Optional.ofNullable(store));
            Thread onCtrlC = new Thread(() -> {
                monitor.requestEnd();
                try {
                    reported.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "vmiscope-monitor-end");
            Runtime.getRuntime().addShutdownHook(onCtrlC);
            err.println("vmiscope: monitoring " + session.name() + " (" + session.linux().location() + "); Ctrl-C ends");
            try {
                monitor.run(settings.limit());
            } finally {
                beside.close();
                err.println("vmiscope: cost per action:");
                for (CostSummary cost : monitor.costs()) {
                    err.println("  " + cost.describe());
                }
                if (store != null) {
                    store.recordCosts(session.name(), monitor.costs());
                }
            }
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the JVM is already ending, the hook has done its part
            }
        } finally {
            try {
                if (store != null) {
                    store.close();
                    err.println("vmiscope: store " + settings.db() + ": " + store.stats().describe());
                }
            } finally {
                reported.countDown();
            }
        }
    }

    /**
     * {@code output}, and each event also to {@code store} when there is one. Closing it closes only
     * {@code output}: the store is closed after the costs are stored.
     */
    private static EventSink alsoTo(DuckDbEventStore store, EventSink output) {
        if (store == null) {
            return output;
        }
        return new EventSink() {
            @Override
            public void accept(Event event) {
                output.accept(event);
                store.accept(event);
            }

            @Override
            public void close() {
                output.close();
            }
        };
    }
}
