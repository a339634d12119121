package io.vmiscope.cli;

import io.vmiscope.events.Event;
import io.vmiscope.events.EventJson;
import io.vmiscope.events.EventSink;
import io.vmiscope.monitor.CostSummary;
import io.vmiscope.monitor.Monitor;
import io.vmiscope.monitor.ProcessFilter;
import io.vmiscope.store.CostRecord;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.StoreOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code vmiscope monitor}: run introspection actions against a live VM and stream their events. */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = {"Run introspection actions against a live VM and stream their events until Ctrl-C or "
                + "--duration ends, then print what each action cost the VM.",
                "", "Actions: " + ActionSpecs.HELP, "",
                "Examples:", "  vmiscope monitor --vm demo --action syscalls:file,network --action procevents --action pslist:5s",
                "  vmiscope monitor --vm demo --action syscalls:openat --process httpd --returns",
                "  vmiscope monitor --vm demo --action procevents --duration 60s --out events.jsonl",
                "  vmiscope monitor --vm demo --action syscalls:file --db vmiscope-data/vmiscope.duckdb"})
final class MonitorCommand implements Callable<Integer> {

    @Mixin
    TargetOptions target;

    @Option(names = "--action", required = true, paramLabel = "ACTION", description = "an action to run (repeatable)")
    List<String> actions;

    @Option(names = "--duration", paramLabel = "TIME", description = "stop after this long, e.g. 60s or 5m (default: until Ctrl-C)")
    String duration;

    @Option(names = "--json", description = "JSON lines on standard output instead of readable lines")
    boolean json;

    @Option(names = "--out", paramLabel = "FILE", description = "write JSON lines to FILE (appending)")
    Path out;

    @Option(names = "--pid", paramLabel = "PID", description = "report only these processes (repeatable)")
    Set<Integer> pids = Set.of();

    @Option(names = "--process", paramLabel = "NAME", description = "report only processes with this name (repeatable)")
    Set<String> names = Set.of();

    @Option(names = "--returns", description = "syscall events carry return values with errno names (a temporary "
            + "breakpoint on each call's return: more stops)")
    boolean returns;

    @Option(names = "--db", paramLabel = "PATH", description = "also keep the events, and at the end the costs, in "
            + "this DuckDB store (e.g. vmiscope-data/vmiscope.duckdb; see docs/store.md)")
    Path db;

    @Option(names = "--db-drop-when-full", description = "with --db: when the store falls behind, drop events "
            + "(counted and reported) instead of holding up the monitor")
    boolean dropWhenFull;

    @Override
    public Integer call() throws IOException {
        Duration limit = duration == null ? Duration.ofDays(3650) : ActionSpecs.period("--duration", duration);
        ProcessFilter filter = new ProcessFilter(pids, names);
        TargetOptions.Resolved resolved = target.resolve();
        PrintStream err = System.err;
        DuckDbEventStore store = db == null ? null : DuckDbEventStore.open(db, StoreOptions.defaults()
                .withDropWhenFull(dropWhenFull).withWarnings(warning -> err.println("vmiscope: " + warning)));
        CountDownLatch reported = new CountDownLatch(1);
        try (TargetOptions.Session session = TargetOptions.attach(resolved);
             EventSink sink = alsoTo(store, sink())) {
            Monitor monitor = new Monitor(session.driver(), session.linux(), sink, Monitor.Options.named(session.name()));
            for (String spec : actions) {
                monitor.start(ActionSpecs.parse(spec, session.linux(), filter, returns));
            }
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
                monitor.run(limit);
            } finally {
                err.println("vmiscope: cost per action:");
                for (CostSummary cost : monitor.costs()) {
                    err.println("  " + cost.describe());
                }
                if (store != null) {
                    store.recordCosts(session.name(), monitor.costs().stream().map(MonitorCommand::costRecord).toList());
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
                    err.println("vmiscope: store " + db + ": " + store.stats().describe());
                }
            } finally {
                reported.countDown();
            }
        }
        return 0;
    }

    /** The cost summary as the store keeps it. */
    static CostRecord costRecord(CostSummary c) {
        return new CostRecord(c.action(), c.hits(), c.hitsWithEvents(), c.hitsFiltered(), c.hitsFailed(), c.events(),
                c.returnHits(), c.periodicRuns(), c.stoppedNanos(), c.stoppedMedianNanos(), c.stoppedP99Nanos(),
                c.roundTripsPerStop(), c.bytesPerStop(), c.handlerNanosPerStop());
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

    private EventSink sink() throws IOException {
        if (out != null) {
            OutputStream file = new FileOutputStream(out.toFile(), true);
            EventSink writer = EventJson.writer(file);
            return new EventSink() {
                @Override
                public void accept(Event event) {
                    writer.accept(event);
                }

                @Override
                public void close() {
                    writer.close();
                    try {
                        file.close();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            };
        }
        if (json) {
            return EventJson.writer(System.out);
        }
        return event -> System.out.println(EventText.line(event));
    }
}
