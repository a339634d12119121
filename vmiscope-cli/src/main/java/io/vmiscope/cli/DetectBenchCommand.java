package io.vmiscope.cli;

import io.vmiscope.cli.bench.DetectWorkload;
import io.vmiscope.cli.bench.Samples;
import io.vmiscope.detect.sigma.RuleLoader;
import io.vmiscope.detect.sigma.RuleSet;
import io.vmiscope.detect.sigma.SigmaDetector;
import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.Event;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.EventFilter;
import io.vmiscope.store.StoreOptions;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code vmiscope bench detect}: the Sigma engine with the default ruleset over stored events, against the plain
 * read of the same events from the store.
 */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = {"Fill a temporary store with --events events shaped like a monitored busybox guest (syscalls, "
                + "files, process events, connections, and rare attack steps), then, --runs times each: read them "
                + "back (the baseline), read them and run the default Sigma ruleset, and run the ruleset over the "
                + "same events already in memory (the engine alone, on one core). Prints events/s (median, min, max), "
                + "the ratio to the baseline, and the alerts per level. With --live, also the alert latency live in the demo "
                + "guest."})
final class DetectBenchCommand implements Callable<Integer> {

    private static final long SEED = 20_261_207L;
    private static final long START_NANOS = 1_764_000_000_000_000_000L;
    private static final double GOAL_EVENTS_PER_SECOND = 200_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--events", defaultValue = "1000000", paramLabel = "N",
            description = "stored events (default: ${DEFAULT-VALUE})")
    long events;

    @Option(names = "--runs", defaultValue = "5", paramLabel = "N", description = "timed runs of each (default: "
            + "${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--live", description = "then also boot the demo guest, play the lab's attack on it while it is "
            + "watched as the demo watches it (rules live), and print each step's alert latency against the 10 s goal "
            + "and the detection thread's event → alert latency (p50, p99; goal p99 ≤ 1 s). Needs QEMU; ~3 min under TCG")
    boolean live;

    private record Stored(String id, Event event) {
    }

    @Override
    public Integer call() throws Exception {
        if (events < 1 || events > 50_000_000 || runs < 1) {
            throw new IllegalArgumentException("--events must be 1..50,000,000 and --runs at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (live) {
            HostTools.require("qemu-system-x86_64", "qemu-system-x86");
        }
        RuleSet rules = RuleLoader.load(List.of(), true, Set.of());
        Path dir = Files.createTempDirectory("vmiscope-bench-detect");
        try (DuckDbEventStore store = DuckDbEventStore.open(dir.resolve("detect.duckdb"), StoreOptions.defaults())) {
            err.printf("vmiscope: storing %,d events …%n", events);
            err.flush();
            DetectWorkload.generate("bench", events, SEED, START_NANOS, store::accept);
            store.flush();
            EventFilter filter = EventFilter.ALL.withVm("bench");
            List<Long> read = new ArrayList<>();
            List<Long> readAndDetect = new ArrayList<>();
            List<Long> engine = new ArrayList<>();
            Map<AlertEvent.Level, Long> perLevel = new EnumMap<>(AlertEvent.Level.class);
            List<Stored> inMemory = new ArrayList<>((int) events);
            store.forEach(filter, (id, e) -> inMemory.add(new Stored(id, e)));
            for (int run = 1; run <= runs; run++) {
                err.printf("vmiscope: run %d of %d …%n", run, runs);
                err.flush();
                long[] seen = {0};
                long t0 = System.nanoTime();
                store.forEach(filter, (id, e) -> seen[0] += e.timeNanos() & 1);
                read.add(System.nanoTime() - t0);
                SigmaDetector both = new SigmaDetector(rules);
                t0 = System.nanoTime();
                store.forEach(filter, (id, e) -> seen[0] += both.accept(id, e).size());
                readAndDetect.add(System.nanoTime() - t0);
                SigmaDetector alone = new SigmaDetector(rules);
                perLevel.clear();
                t0 = System.nanoTime();
                for (Stored s : inMemory) {
                    for (AlertEvent a : alone.accept(s.id(), s.event())) {
                        perLevel.merge(a.level(), 1L, Long::sum);
                    }
                }
                engine.add(System.nanoTime() - t0);
            }
            report(out, rules, inMemory.size(), Samples.of(read), Samples.of(readAndDetect), Samples.of(engine),
                    perLevel);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        if (live) {
            new LiveAlertBench(out).run();
        }
        return 0;
    }

    private void report(PrintWriter out, RuleSet rules, long n, Samples read, Samples both, Samples engine,
                        Map<AlertEvent.Level, Long> perLevel) {
        out.println();
        out.printf("bench detect — %,d stored events (busybox guest mix), default ruleset: %d rules; %d run%s each; "
                        + "machine: %d cores, shared host%n", n, rules.loaded(), runs, runs == 1 ? "" : "s",
                Runtime.getRuntime().availableProcessors());
        out.printf("  %-40s %12s %12s %12s %10s%n", "", "events/s", "min", "max", "vs read");
        row(out, "read from the store (baseline)", n, read, read);
        row(out, "read + Sigma rules", n, both, read);
        row(out, "Sigma rules alone (events in memory)", n, engine, read);
        double rate = n / (engine.median() / 1e9);
        out.printf("  engine goal ≥ %,.0f events/s on one core: %s%n", GOAL_EVENTS_PER_SECOND,
                rate >= GOAL_EVENTS_PER_SECOND ? "met" : "NOT met");
        StringBuilder levels = new StringBuilder("  alerts per run by level:");
        for (AlertEvent.Level l : AlertEvent.Level.values()) {
            levels.append(' ').append(l.label()).append(' ').append(perLevel.getOrDefault(l, 0L)).append(',');
        }
        out.println(levels.substring(0, levels.length() - 1));
        out.flush();
    }

    private static void row(PrintWriter out, String name, long n, Samples s, Samples baseline) {
        out.printf("  %-40s %,12.0f %,12.0f %,12.0f %9.2f×%n", name, n / (s.median() / 1e9), n / (s.max() / 1e9),
                n / (s.min() / 1e9), (n / (s.median() / 1e9)) / (n / (baseline.median() / 1e9)));
    }
}
