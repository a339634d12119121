package io.vmiscope.cli.bench;

import io.vmiscope.analysis.Analysis;
import io.vmiscope.analysis.EventQuery;
import io.vmiscope.analysis.ProcessKey;
import io.vmiscope.analysis.ProcessNode;
import io.vmiscope.analysis.ProcessTree;
import io.vmiscope.analysis.Refresh;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.StoreOptions;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The query side of the store benchmark: fills a fresh store with a {@link StoreWorkload}'s events (straight
 * from the simulation, see {@link StoreEventFeed}), brings the analysis tables up to date
 * ({@link Analysis#refresh}, timed), then times the three queries the UI runs most, each with new random
 * parameters every time:
 * <ul>
 *   <li>the process tree at a random moment of the trace;</li>
 *   <li>the timeline of a random window (10 s to the whole trace, log-uniform) in {@value #BUCKETS} buckets;</li>
 *   <li>a page of {@value #PAGE} events of a random process (one of those the trees showed) — all its events,
 *       only its file and network events, or those of a random window — at one of its first pages.</li>
 * </ul>
 * Each query runs {@value #WARMUP} times unmeasured first.
 */
public final class StoreQueryBenchmark {

    private static final int BUCKETS = 120;
    private static final int PAGE = 100;
    private static final int WARMUP = 3;
    private static final long MIN_WINDOW_NANOS = 10_000_000_000L;

    /** One query's latencies. */
    public record Timed(String name, Samples samples) {
    }

    /**
     * What was measured.
     *
     * @param events       events in the store
     * @param processes    processes the analysis found
     * @param spanNanos    from the first event to the last
     * @param fillNanos    time to fill the store
     * @param refresh      the first (full) refresh
     * @param refreshNanos its wall time, measured here
     * @param timed        process tree, timeline, process events
     * @param notes        anything the reader should know about how these were measured
     */
    public record Result(long events, int processes, long spanNanos, long fillNanos, Refresh refresh,
                         long refreshNanos, List<Timed> timed, List<String> notes) {

        /** e.g. {@code "one VM, 10,912 processes as the analysis counts them, 33.4 min of trace"} */
        public String describeStore() {
            return String.format("one VM, %,d processes as the analysis counts them, %.1f min of trace", processes,
                    spanNanos / 60e9);
        }

        /** e.g. {@code "12.3 s (full, 10,000,000 events)"} */
        public String describeRefresh() {
            return String.format("%.1f s (%s, %,d events)", refreshNanos / 1e9,
                    refresh.mode().name().toLowerCase(java.util.Locale.ROOT), refresh.eventsAnalysed());
        }
    }

    private StoreQueryBenchmark() {
    }

    /**
     * Fills {@code db} (which must not exist) with {@code events} events and times {@code repetitions} runs of
     * each query. Progress goes to {@code err}.
     */
    public static Result run(Path db, long events, long seed, int repetitions, PrintWriter err) throws Exception {
        if (Files.exists(db)) {
            throw new IllegalArgumentException(db + " exists already: the query benchmark needs a fresh store");
        }
        String vm = StoreImportBenchmark.VM;
        try (DuckDbEventStore store = DuckDbEventStore.open(db, StoreOptions.defaults())) {
            long start = System.nanoTime();
            StoreEventFeed.feed(store, vm, events, seed, new StoreProgress(err, "filling the query store", "events",
                    events));
            store.flush();
            long fillNanos = System.nanoTime() - start;
            long[] span = span(store);
            try (Analysis analysis = Analysis.open(store)) {
                err.println("vmiscope: refreshing the analysis tables …");
                err.flush();
                long refreshStart = System.nanoTime();
                Refresh refresh = analysis.refresh(vm);
                long refreshNanos = System.nanoTime() - refreshStart;
                err.println("vmiscope: timing " + repetitions + " runs of each query …");
                err.flush();
                SplittableRandom random = new SplittableRandom(seed);
                Set<ProcessKey> seen = new LinkedHashSet<>();
                List<Long> tree = time(repetitions, () -> {
                    ProcessTree t = analysis.processTree(vm, between(random, span[0], span[1]));
                    t.nodes().stream().map(ProcessNode::key).forEach(seen::add);
                });
                List<Long> timeline = time(repetitions, () -> {
                    long width = window(random, span[1] - span[0]);
                    long from = between(random, span[0], span[1] - width);
                    analysis.timeline(vm, from, from + width, BUCKETS);
                });
                List<ProcessKey> keys = new ArrayList<>(seen);
                if (keys.isEmpty()) {
                    throw new IllegalStateException("the process trees of the query store were all empty");
                }
                List<Long> page = time(repetitions, () -> {
                    ProcessKey key = keys.get(random.nextInt(keys.size()));
                    EventQuery query = switch (random.nextInt(4)) {
                        case 0 -> EventQuery.ALL.withKinds("file", "network");
                        case 1 -> {
                            long width = window(random, span[1] - span[0]);
                            long from = between(random, span[0], span[1] - width);
                            yield EventQuery.ALL.between(from, from + width);
                        }
                        default -> EventQuery.ALL;
                    };
                    analysis.processEvents(vm, key, query, PAGE * random.nextInt(5), PAGE);
                });
                List<Timed> timed = List.of(
                        new Timed("process tree (random moment)", Samples.of(tree)),
                        new Timed("timeline (random window, " + BUCKETS + " buckets)", Samples.of(timeline)),
                        new Timed("process events (random process, page of " + PAGE + ")", Samples.of(page)));
                return new Result(events, refresh.processes(), span[1] - span[0], fillNanos, refresh, refreshNanos,
                        timed, List.of("queries through io.vmiscope.analysis.Analysis after one refresh; " + WARMUP
                                + " unmeasured runs of each first"));
            }
        }
    }

    /** A query run with fresh random parameters each time; throws what the query throws. */
    @FunctionalInterface
    private interface Query {
        void run() throws Exception;
    }

    private static List<Long> time(int repetitions, Query query) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            query.run();
        }
        List<Long> nanos = new ArrayList<>(repetitions);
        for (int i = 0; i < repetitions; i++) {
            long start = System.nanoTime();
            query.run();
            nanos.add(System.nanoTime() - start);
        }
        return nanos;
    }

    /** The first and last event time of the store. */
    private static long[] span(DuckDbEventStore store) throws SQLException {
        try (Connection c = store.openConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT min(time_ns), max(time_ns) FROM events")) {
            r.next();
            return new long[] {r.getLong(1), r.getLong(2)};
        }
    }

    /** A window width, log-uniform from 10 s (or the whole span, when shorter) to the whole span. */
    private static long window(SplittableRandom random, long spanNanos) {
        long min = Math.min(MIN_WINDOW_NANOS, spanNanos);
        return Math.max(1, (long) (min * Math.pow((double) spanNanos / Math.max(1, min), random.nextDouble())));
    }

    private static long between(SplittableRandom random, long from, long to) {
        return to <= from ? from : from + random.nextLong(to - from + 1);
    }
}
