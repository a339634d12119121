package io.vmiscope.cli;

import io.vmiscope.cli.bench.Samples;
import io.vmiscope.cli.bench.StoreDrakvufLog;
import io.vmiscope.cli.bench.StoreImportBenchmark;
import io.vmiscope.cli.bench.StoreProgress;
import io.vmiscope.cli.bench.StoreQueryBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * {@code vmiscope bench store}: the event store's import rate against DuckDB's own JSON reader on the same
 * DRAKVUF log, and the latency of the analysis queries over a large store.
 */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = {"Generate a DRAKVUF drakmon.log (JSON lines shaped like a busy Windows 10 guest: syscall and "
                + "sysret records, procmon process creations and exits with pids reused, filetracer, regmon, "
                + "socketmon), import it with vmiscope in a JVM limited to --heap-mib of heap, and load the same file "
                + "with DuckDB's read_json into a table, --runs times each; print both rates and their ratio.",
                "Then fill a store with --query-events events of the same workload and time the process-tree, "
                        + "timeline and process-events queries with random times, windows and processes: p50 and p95.",
                "Files go to a temporary folder (or --dir) and are deleted at the end unless --keep."})
final class StoreBenchCommand implements Callable<Integer> {

    private static final long SEED = 20_240_527L;
    private static final double IMPORT_GOAL = 0.5;
    private static final double QUERY_GOAL_MILLIS = 200;

    @Spec
    CommandSpec spec;

    @Option(names = "--lines", defaultValue = "5000000", paramLabel = "N",
            description = "lines of the generated drakmon.log (default: ${DEFAULT-VALUE})")
    long lines;

    @Option(names = "--query-events", defaultValue = "10000000", paramLabel = "N",
            description = "events in the store the queries run over (default: ${DEFAULT-VALUE})")
    long queryEvents;

    @Option(names = "--runs", defaultValue = "3", paramLabel = "N",
            description = "imports with vmiscope and loads with DuckDB, each (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--queries", defaultValue = "100", paramLabel = "N",
            description = "timed repetitions of each query, each with new random parameters (default: ${DEFAULT-VALUE})")
    int queries;

    @Option(names = "--heap-mib", defaultValue = "512", paramLabel = "MIB",
            description = "heap limit (-Xmx) of the JVM that runs vmiscope's import (default: ${DEFAULT-VALUE})")
    int heapMiB;

    @Option(names = "--quick", description = "small sizes for a quick look: 200,000 lines, 1,000,000 query events, "
            + "1 run, 30 queries (options given explicitly still win)")
    boolean quick;

    @Option(names = "--dir", paramLabel = "DIR", description = "where the log and databases go (default: a new "
            + "temporary folder)")
    Path dir;

    @Option(names = "--keep", description = "keep the generated log and the query store afterwards")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        applyQuickSizes();
        if (lines < 1 || queryEvents < 1 || runs < 1 || queries < 1 || heapMiB < 64) {
            throw new IllegalArgumentException("--lines, --query-events, --runs and --queries must be at least 1, "
                    + "--heap-mib at least 64");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean ownDir = dir == null;
        Path work = ownDir ? Files.createTempDirectory("vmiscope-bench-store") : Files.createDirectories(dir);
        Path log = work.resolve("drakmon.log");
        Path queryDb = work.resolve("query.duckdb");
        try {
            StoreDrakvufLog.Written written = StoreDrakvufLog.write(log, lines, SEED,
                    new StoreProgress(err, "writing " + log, "lines", lines));
            List<StoreImportBenchmark.Run> ours = new ArrayList<>();
            List<StoreImportBenchmark.Run> duck = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                err.println("vmiscope: run " + run + " of " + runs + ": vmiscope import, then DuckDB read_json …");
                err.flush();
                ours.add(StoreImportBenchmark.vmiscope(log, lines, work, heapMiB, run));
                duck.add(StoreImportBenchmark.duckDb(log, lines, work, run));
            }
            StoreQueryBenchmark.Result queried = StoreQueryBenchmark.run(queryDb, queryEvents, SEED, queries, err);
            report(out, written, ours, duck, queried);
        } finally {
            if (keep) {
                err.println("vmiscope: kept " + log + " and " + queryDb);
            } else {
                delete(work, ownDir, log, queryDb);
            }
            err.flush();
        }
        return 0;
    }

    private void applyQuickSizes() {
        if (!quick) {
            return;
        }
        var parsed = spec.commandLine().getParseResult();
        if (!parsed.hasMatchedOption("--lines")) {
            lines = 200_000;
        }
        if (!parsed.hasMatchedOption("--query-events")) {
            queryEvents = 1_000_000;
        }
        if (!parsed.hasMatchedOption("--runs")) {
            runs = 1;
        }
        if (!parsed.hasMatchedOption("--queries")) {
            queries = 30;
        }
    }

    private void report(PrintWriter out, StoreDrakvufLog.Written log, List<StoreImportBenchmark.Run> ours,
                        List<StoreImportBenchmark.Run> duck, StoreQueryBenchmark.Result q) {
        out.println();
        out.printf("bench store — %,d-line DRAKVUF drakmon.log (%.2f GB; Windows 10 guest shape: %,d processes "
                        + "started, %,d pids reused); %d run%s each; machine: %d cores, shared host%n", log.lines(),
                log.bytes() / 1e9, log.processesCreated(), log.pidsReused(), runs, runs == 1 ? "" : "s",
                Runtime.getRuntime().availableProcessors());
        out.printf("  %-34s %11s %10s %10s %12s %10s%n", "import of the log", "lines/s", "min", "max",
                "rows/s", "time");
        double peakHeapMiB = ours.stream().mapToLong(StoreImportBenchmark.Run::peakHeapUsedBytes).max().orElse(0)
                / (1024.0 * 1024);
        importRow(out, "vmiscope import (-Xmx" + heapMiB + "m)", ours,
                String.format("  events; heap used ≤ %.0f MiB", peakHeapMiB));
        importRow(out, "DuckDB read_json → table", duck, "  rows");
        double ratio = median(ours, StoreImportBenchmark.Run::linesPerSecond)
                / median(duck, StoreImportBenchmark.Run::linesPerSecond);
        double minRatio = min(ours, StoreImportBenchmark.Run::linesPerSecond)
                / min(duck, StoreImportBenchmark.Run::linesPerSecond);
        out.printf("  vmiscope vs DuckDB:  %.2f× DuckDB's lines/s (medians; slowest to slowest %.2f×)   goal ≥ %.1f×: %s%n",
                ratio, minRatio, IMPORT_GOAL, ratio >= IMPORT_GOAL ? "met" : "NOT met");
        out.println();
        out.printf("queries over %,d stored events (%s); store filled at %,.0f events/s; refresh (pre-processing): "
                + "%s%n", q.events(), q.describeStore(), q.events() / (q.fillNanos() / 1e9), q.describeRefresh());
        out.printf("  %-48s %9s %9s %9s %9s %5s%n", "", "p50", "p95", "min", "max", "n");
        int met = 0;
        for (StoreQueryBenchmark.Timed t : q.timed()) {
            Samples s = t.samples();
            out.printf("  %-48s %6.1f ms %6.1f ms %6.1f ms %6.1f ms %5d%n", t.name(), s.median() / 1e6,
                    s.percentile(95) / 1e6, s.min() / 1e6, s.max() / 1e6, s.count());
            if (s.percentile(95) / 1e6 <= QUERY_GOAL_MILLIS) {
                met++;
            }
        }
        out.printf("  p95 goal ≤ %.0f ms: %s (%d of %d queries)%n", QUERY_GOAL_MILLIS,
                met == q.timed().size() ? "met" : "NOT met", met, q.timed().size());
        q.notes().forEach(note -> out.println("  note: " + note));
        out.flush();
    }

    private static void importRow(PrintWriter out, String name, List<StoreImportBenchmark.Run> runs, String rows) {
        out.printf("  %-34s %,11.0f %,10.0f %,10.0f %,12.0f %8.1f s%s%n", name,
                median(runs, StoreImportBenchmark.Run::linesPerSecond), min(runs, StoreImportBenchmark.Run::linesPerSecond),
                runs.stream().mapToDouble(StoreImportBenchmark.Run::linesPerSecond).max().orElseThrow(),
                median(runs, StoreImportBenchmark.Run::rowsPerSecond),
                median(runs, r -> r.nanos() / 1e9), rows);
    }

    /** The median (the mean of the middle two for an even count). */
    private static double median(List<StoreImportBenchmark.Run> runs, ToDoubleFunction<StoreImportBenchmark.Run> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double min(List<StoreImportBenchmark.Run> runs, ToDoubleFunction<StoreImportBenchmark.Run> f) {
        return runs.stream().mapToDouble(f).min().orElseThrow();
    }

    /** Deletes what this command wrote: the whole folder when it made it, else only its own files. */
    private static void delete(Path work, boolean ownDir, Path log, Path queryDb) throws IOException {
        if (ownDir) {
            try (Stream<Path> files = Files.walk(work)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            return;
        }
        Files.deleteIfExists(log);
        Files.deleteIfExists(queryDb);
        Files.deleteIfExists(queryDb.resolveSibling(queryDb.getFileName() + ".wal"));
    }
}
