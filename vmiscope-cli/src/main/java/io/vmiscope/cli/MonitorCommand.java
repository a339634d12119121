package io.vmiscope.cli;

import io.vmiscope.events.Event;
import io.vmiscope.events.EventJson;
import io.vmiscope.events.EventSink;
import io.vmiscope.monitor.ProcessFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

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
        try (TargetOptions.Session session = TargetOptions.attach(resolved)) {
            List<io.vmiscope.monitor.Action> parsed = actions.stream()
                    .map(spec -> ActionSpecs.parse(spec, session.linux(), filter, returns)).toList();
            MonitoringRun.run(session, parsed, sink(), new MonitoringRun.Settings(limit, db, dropWhenFull), m -> { });
        }
        return 0;
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
