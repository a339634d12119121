package io.vmiscope.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vmiscope.analysis.Analysis;
import io.vmiscope.analysis.BehaviourGraph;
import io.vmiscope.analysis.EventQuery;
import io.vmiscope.analysis.EventRow;
import io.vmiscope.analysis.Page;
import io.vmiscope.analysis.ProcessNode;
import io.vmiscope.analysis.ProcessTree;
import io.vmiscope.analysis.Summary;
import io.vmiscope.analysis.TimeSpan;
import io.vmiscope.analysis.Timeline;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.StoreOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code vmiscope query tree|events|timeline|graph|summary --vm NAME}: the analysis views of a store, as
 * readable tables or JSON. Refreshes the VM's derived tables first. Guest strings are printed escaped.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Show the process tree, one process's events, the activity timeline, a process's "
                + "behaviour graph or the indicator summary of a VM in the event store.", "",
                "TIME is nanoseconds since the epoch, seconds with a fraction (1700001001.5) or an ISO-8601 "
                        + "instant (2025-11-26T10:00:00Z).", "", "Examples:",
                "  vmiscope query tree --vm win10 --at 2025-11-26T10:00:00Z",
                "  vmiscope query events --vm demo --pid 709 --kind syscall --text /etc",
                "  vmiscope query graph --vm demo --pid 709 --json"})
final class QueryCommand implements Callable<Integer> {

    private static final int MAX_TEXT_CHARS = 160;
    private static final String SPARK = " .:-=+*#%@";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "VIEW", description = "tree, events, timeline, graph or summary")
    String view;

    @Option(names = "--vm", required = true, paramLabel = "NAME", description = "the VM")
    String vm;

    @Mixin
    DbOption db;

    @Option(names = "--pid", paramLabel = "P", description = "the process (events, graph; tree: only its subtree)")
    Integer pid;

    @Option(names = "--at", paramLabel = "TIME",
            description = "tree: processes alive then; events, graph: the process holding --pid then (default: the newest)")
    String at;

    @Option(names = "--from", paramLabel = "TIME", description = "start of the time range (tree, events, timeline)")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "end of the time range (tree, events, timeline)")
    String to;

    @Option(names = "--kind", paramLabel = "KIND", split = ",", description = "events: only these kinds")
    Set<String> kinds = Set.of();

    @Option(names = "--name", paramLabel = "NAME", split = ",",
            description = "events: only these syscall/operation/method names")
    Set<String> names = Set.of();

    @Option(names = "--text", paramLabel = "TEXT", description = "events: only those containing this text")
    String text;

    @Option(names = "--offset", paramLabel = "N", description = "events: skip this many (default: ${DEFAULT-VALUE})")
    int offset;

    @Option(names = "--limit", paramLabel = "N", description = "events: page size (default: ${DEFAULT-VALUE})")
    int limit = 50;

    @Option(names = "--buckets", paramLabel = "N", description = "timeline: buckets (default: ${DEFAULT-VALUE})")
    int buckets = 40;

    @Option(names = "--lanes", paramLabel = "N", description = "timeline: processes shown, the busiest; the rest "
            + "are summed into one row (default: ${DEFAULT-VALUE})")
    int lanes = Analysis.DEFAULT_TIMELINE_LANES;

    @Option(names = "--top", paramLabel = "N", description = "graph: targets shown per kind (default: ${DEFAULT-VALUE})")
    int top = 10;

    @Option(names = "--json", description = "print JSON instead of tables")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(db.path())) {
            throw new NoSuchFileException("no store at " + db.path());
        }
        PrintWriter out = spec.commandLine().getOut();
        try (DuckDbEventStore store = DuckDbEventStore.open(db.path(), StoreOptions.defaults());
             Analysis analysis = Analysis.open(store)) {
            analysis.refresh(vm);
            Object result = switch (view.toLowerCase(Locale.ROOT)) {
                case "tree" -> tree(analysis, out);
                case "events" -> events(analysis, out);
                case "timeline" -> timeline(analysis, out);
                case "graph" -> graph(analysis, out);
                case "summary" -> summary(analysis, out);
                default -> throw new IllegalArgumentException("unknown view '" + view
                        + "': choose one of tree, events, timeline, graph, summary");
            };
            if (json) {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
            }
        }
        out.flush();
        return 0;
    }

    private ProcessTree tree(Analysis analysis, PrintWriter out) {
        ProcessTree tree;
        if (at != null) {
            tree = analysis.processTree(vm, time(at));
        } else if (from != null || to != null) {
            tree = analysis.processTree(vm, from == null ? Long.MIN_VALUE : time(from),
                    to == null ? Long.MAX_VALUE : time(to));
        } else {
            tree = analysis.processTree(vm);
        }
        if (json) {
            return tree;
        }
        out.printf("%-8s %-26s %-24s %-30s %8s  %s%n", "PID", "LIFETIME", "START", "END", "EVENTS", "PROCESS");
        int subtreeDepth = -1;
        for (ProcessNode n : tree.nodes()) {
            if (subtreeDepth >= 0 && n.depth() <= subtreeDepth) {
                subtreeDepth = -1;
            }
            if (pid != null && subtreeDepth < 0 && n.pid() != pid) {
                continue;
            }
            if (pid != null && subtreeDepth < 0) {
                subtreeDepth = n.depth();
            }
            out.printf("%-8d %-26s %-24s %-30s %8d  %s%s%s%n", n.pid(), n.lifetime(), instant(n.startNanos()),
                    n.endNanos() == null ? "" : instant(n.endNanos()) + " " + n.endReason(), n.events(),
                    "  ".repeat(Math.min(n.depth(), 40)), ProcessListRenderer.safe(n.name()),
                    n.commandLine().isEmpty() ? "" : "  " + shorten(n.commandLine()));
        }
        out.println(tree.nodes().size() + " processes");
        return tree;
    }

    private Page<EventRow> events(Analysis analysis, PrintWriter out) {
        ProcessNode process = process(analysis);
        EventQuery query = new EventQuery(kinds, names, text, from == null ? null : time(from),
                to == null ? null : time(to));
        Page<EventRow> page = analysis.processEvents(vm, process.key(), query, offset, limit);
        if (json) {
            return page;
        }
        out.println(describe(process));
        out.printf("%-30s %-8s %-8s %-24s %s%n", "TIME", "TID", "KIND", "NAME", "FIELDS");
        for (EventRow e : page.items()) {
            out.printf("%-30s %-8d %-8s %-24s %s%n", instant(e.timeNanos()), e.tid(), e.kind(),
                    shorten(e.name() == null ? "" : e.name()), shorten(e.fieldsJson()));
        }
        out.println("events " + (page.items().isEmpty() ? 0 : offset + 1) + "-" + (offset + page.items().size())
                + " of " + page.total());
        return page;
    }

    private Timeline timeline(Analysis analysis, PrintWriter out) {
        TimeSpan span = analysis.span(vm).orElseThrow(() -> new IllegalArgumentException("no events of VM " + vm));
        TimeSpan range = TimeSpan.requested(from == null ? null : time(from), to == null ? null : time(to), span);
        Timeline timeline = analysis.timeline(vm, range, buckets, lanes);
        if (json) {
            return timeline;
        }
        out.println("from " + instant(timeline.fromNanos()) + ", " + timeline.buckets() + " buckets of "
                + new BigDecimal(timeline.bucketNanos()).movePointLeft(9).stripTrailingZeros().toPlainString() + " s");
        List<Timeline.Lane> rows = new ArrayList<>(timeline.lanes());
        if (timeline.others() != null) {
            rows.add(timeline.others());
        }
        // scaled to the busiest cell of a process's own; the summed row of the others saturates beyond it
        long max = (timeline.lanes().isEmpty() ? rows : timeline.lanes()).stream().flatMap(l -> l.cells().stream())
                .mapToLong(Timeline.Cell::events).max().orElse(1);
        out.printf("%-8s %-20s %8s  %s%n", "PID", "PROCESS", "EVENTS", "ACTIVITY");
        for (Timeline.Lane lane : rows) {
            StringBuilder spark = new StringBuilder();
            for (long n : lane.counts(null, timeline.buckets())) {
                spark.append(SPARK.charAt(n == 0 ? 0
                        : (int) Math.min(SPARK.length() - 1, Math.max(1, (n * (SPARK.length() - 1)) / max))));
            }
            // the others' row: "+N" processes in the pid column
            out.printf("%-8s %-20s %8d  |%s|%n", lane.process() == null ? "+" + timeline.folded()
                    : String.valueOf(lane.process().pid()), shorten(lane.name(), 20), lane.events(), spark);
        }
        return timeline;
    }

    private BehaviourGraph graph(Analysis analysis, PrintWriter out) {
        ProcessNode process = process(analysis);
        BehaviourGraph graph = analysis.behaviourGraph(vm, process.key(), top);
        if (json) {
            return graph;
        }
        out.println(describe(process));
        targets(out, "images", graph.images());
        targets(out, "files", graph.files());
        targets(out, "endpoints", graph.endpoints());
        out.println("children (" + (graph.children().size() + graph.moreChildren()) + ")");
        for (BehaviourGraph.Child c : graph.children()) {
            out.printf("  %-8d %-24s %8d events  %s..%s%n", c.key().pid(), shorten(c.name(), 24), c.events(),
                    instant(c.startNanos()), c.endNanos() == null ? "" : instant(c.endNanos()));
        }
        if (graph.moreChildren() > 0) {
            out.println("  +" + graph.moreChildren() + " more");
        }
        return graph;
    }

    private static void targets(PrintWriter out, String title, BehaviourGraph.Targets targets) {
        out.println(title + " (" + targets.total() + ")");
        for (BehaviourGraph.Target t : targets.top()) {
            out.printf("  %8d  %-30s %-7s %s%n", t.events(), shorten(String.join(",", t.operations()), 30),
                    t.access(), shorten(t.name()));
        }
        for (BehaviourGraph.TargetGroup g : targets.groups()) {
            out.printf("  %8d  +%d more in %s%n", g.events(), g.more(), shorten(g.group()));
        }
    }

    private Summary summary(Analysis analysis, PrintWriter out) {
        Summary summary = analysis.summary(vm);
        if (json) {
            return summary;
        }
        out.println("VM " + ProcessListRenderer.safe(vm));
        indicators(out, "  ", summary.total());
        for (Summary.ProcessIndicators p : summary.processes()) {
            out.println(p.process().pid() + " " + ProcessListRenderer.safe(p.name()) + " (started "
                    + instant(p.process().startNanos()) + ")");
            indicators(out, "  ", p.indicators());
        }
        return summary;
    }

    private static void indicators(PrintWriter out, String indent, Summary.Indicators i) {
        values(out, indent, "images executed", i.imagesExecuted());
        values(out, indent, "files written", i.filesWritten());
        values(out, indent, "files deleted", i.filesDeleted());
        values(out, indent, "hosts contacted", i.hostsContacted());
    }

    private static void values(PrintWriter out, String indent, String title, Summary.Values values) {
        if (values.distinct() == 0) {
            return;
        }
        out.println(indent + title + " (" + values.distinct() + ")");
        values.values().forEach(v -> out.println(indent + "  " + shorten(v)));
        if (values.distinct() > values.values().size()) {
            out.println(indent + "  +" + (values.distinct() - values.values().size()) + " more");
        }
    }

    /** The process holding --pid at --at, else the newest one that had it. */
    private ProcessNode process(Analysis analysis) {
        if (pid == null) {
            throw new IllegalArgumentException("'" + view + "' needs --pid");
        }
        List<ProcessNode> candidates = analysis.processesWithPid(vm, pid);
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no process with pid " + pid + " in VM " + vm);
        }
        if (at == null) {
            return candidates.get(candidates.size() - 1);
        }
        long t = time(at);
        return candidates.stream().filter(n -> n.aliveAt(t)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no process with pid " + pid + " was alive at " + at));
    }

    private static String describe(ProcessNode p) {
        return "process " + p.pid() + " " + ProcessListRenderer.safe(p.name()) + " [" + p.lifetime() + "] "
                + instant(p.startNanos()) + ".." + (p.endNanos() == null ? "" : instant(p.endNanos()));
    }

    /** Nanoseconds since the epoch, seconds with a fraction, or an ISO-8601 instant. */
    static long time(String text) {
        try {
            if (text.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(text);
            }
            if (text.matches("\\d+\\.\\d+")) {
                return new BigDecimal(text).movePointRight(9).longValueExact();
            }
            Instant instant = Instant.parse(text);
            // exact: seconds × 10⁹ alone overflows for the earliest instants a long holds
            return BigDecimal.valueOf(instant.getEpochSecond()).movePointRight(9).add(BigDecimal.valueOf(instant.getNano()))
                    .longValueExact();
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("not a TIME: '" + text + "' (nanoseconds, seconds.fraction or "
                    + "an ISO-8601 instant such as 2025-11-26T10:00:00Z)", e);
        }
    }

    private static String instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L))
                .toString();
    }

    private static String shorten(String guestText) {
        return shorten(guestText, MAX_TEXT_CHARS);
    }

    private static String shorten(String guestText, int maxChars) {
        String safe = ProcessListRenderer.safe(guestText);
        return safe.length() <= maxChars ? safe : safe.substring(0, maxChars - 1) + "…";
    }
}
