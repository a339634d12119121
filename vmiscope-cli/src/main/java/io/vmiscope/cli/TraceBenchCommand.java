package io.vmiscope.cli;

import io.vmiscope.cli.bench.GdbTraceBaseline;
import io.vmiscope.events.CostSummary;
import io.vmiscope.gdb.GdbAddress;
import io.vmiscope.cli.bench.TraceBenchmark;
import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.ProcessFilter;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.profile.KernelProfiles;
import io.vmiscope.linux.profile.ProfileCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vmiscope bench trace}: syscall tracing, vmiscope vs Debian's gdb vs the protocol floor. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = {"Trace syscalls of a syscall-heavy guest workload (a shell loop opening a file, running "
                + "/bin/true every 50th turn) for a fixed time "
                + "with vmiscope, then with the protocol floor (the same breakpoints, stops and step-overs, replaying "
                + "vmiscope's reads of each hit, no decoding), then with Debian's gdb and a Python breakpoint class "
                + "decoding the same fields, its VM-stopped time per hit timed by a relay between gdb and the stub. "
                + "Prints events/s and per-hit cost side by side, against the dependency floor (the hit's chain of "
                + "reads that cannot overlap × the round trip measured in the same run). A last phase runs every "
                + "kind of hit at once (syscalls, procevents, network, with a web client in the guest) and prints "
                + "round trips, bytes and stopped time per hooked function.",
                "Boots its own demo guest unless --vm names a running one."})
final class TraceBenchCommand implements Callable<Integer> {

    /** Thousands of openat per second under TCG (read's redirection needs no fork), an execve every 50th turn. */
    static final String WORKLOAD = "i=0; while :; do read x </etc/passwd; i=$((i+1)); [ $((i % 50)) = 0 ] && /bin/true; done";

    @Option(names = "--seconds", defaultValue = "10", description = "tracing time per tracer (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--syscalls", defaultValue = "openat,execve", split = ",",
            description = "syscalls to trace (default: ${DEFAULT-VALUE})")
    List<String> syscalls;

    @Option(names = "--kinds-seconds", defaultValue = "10",
            description = "time of the last phase, every kind of hit at once with a web client looping beside the "
                    + "workload (default: ${DEFAULT-VALUE}; 0 leaves it out)")
    int kindsSeconds;

    /** Connections to the guest's httpd (connect, accept) and a fork, exec and exit of wget each time. */
    static final String CLIENT = "while :; do wget -q -O /dev/null http://127.0.0.1/; sleep 0.2; done";

    @Mixin
    BenchGuest guest;

    @Override
    public Integer call() throws Exception {
        return guest.with("bench-trace", this::bench);
    }

    private int bench(QemuVm guest, Path kernel, String what) throws Exception {
        KernelProfile profile = KernelProfiles.load(kernel, ProfileCache.atDefaultLocation());
        Duration time = Duration.ofSeconds(seconds);
        GdbAddress.Unix stub = new GdbAddress.Unix(guest.gdbSocket());
        String pid = guest.console().run("sh -c '" + WORKLOAD + "' >/dev/null 2>&1 </dev/null & echo $!")
                .orThrow().output().strip();
        try {
            System.err.println("vmiscope: tracing with vmiscope for " + seconds + " s …");
            TraceBenchmark.Traced ours = TraceBenchmark.vmiscope(stub, profile,
                    new ActionSpec.Syscalls(syscalls, ProcessFilter.ALL), time);
            System.err.println("vmiscope: the protocol floor for " + seconds + " s …");
            TraceBenchmark.Floor floor = TraceBenchmark.floor(stub, ours, time);
            System.err.println("vmiscope: tracing with gdb for " + seconds + " s …");
            GdbTraceBaseline.Result gdb = GdbTraceBaseline.run(stub, profile,
                    ours.hookAddresses(), time, Files.createTempDirectory("vmiscope-bench-trace"));
            report(what, ours, floor, gdb);
            if (kindsSeconds > 0) {
                System.err.println("vmiscope: every kind of hit for " + kindsSeconds + " s …");
                String client = guest.console().run("sh -c '" + CLIENT + "' >/dev/null 2>&1 </dev/null & echo $!")
                        .orThrow().output().strip();
                try {
                    reportKinds(TraceBenchmark.kinds(stub, profile, new ActionSpec.Syscalls(syscalls, ProcessFilter.ALL),
                            Duration.ofSeconds(kindsSeconds), 300));
                } finally {
                    guest.console().run("kill " + client);
                }
            }
        } finally {
            guest.console().run("kill " + pid);
        }
        return 0;
    }

    private void reportKinds(TraceBenchmark.Kinds kinds) {
        double rtt = kinds.roundTrips().median();
        System.out.println();
        System.out.printf("per kind of hit — syscalls, procevents and network at once, %d s, with `%s` beside the loop;"
                + " round trip %.1f µs median (p90 %.1f, n=%d, VM stopped)%n", kindsSeconds, CLIENT, rtt / 1e3,
                kinds.roundTrips().percentile(90) / 1e3, kinds.roundTrips().count());
        System.out.printf("  %-36s %6s %12s %9s %11s %7s %12s %8s%n", "hook (kind)", "hits", "round trips", "bytes",
                "stopped", "depth", "dep. floor", "ratio");
        for (CostSummary site : kinds.sites().stream().sorted(java.util.Comparator.comparing(CostSummary::action)).toList()) {
            var chain = io.vmiscope.cli.bench.DependencyChains.of(site.action());
            String depth = chain.map(c -> String.valueOf(c.depth())).orElse("");
            String floor = chain.map(c -> String.format("%.0f µs", io.vmiscope.cli.bench.DependencyChains.floorNanos(c, rtt) / 1e3))
                    .orElse("");
            String ratio = chain.map(c -> String.format("%.2f×", site.stoppedMedianNanos()
                    / io.vmiscope.cli.bench.DependencyChains.floorNanos(c, rtt))).orElse("");
            System.out.printf("  %-36s %6d %12.1f %9.0f %8.0f µs %7s %12s %8s%n", site.action(), site.hits(),
                    site.roundTripsPerStop(), site.bytesPerStop(), site.stoppedMedianNanos() / 1e3, depth, floor, ratio);
        }
        System.out.println("  round trips per hit: goal ≤ its depth + 2; stopped is the median per hit; dep. floor = "
                + "(depth + 1 for the resume) × the median round trip (chains: docs/monitoring.md)");
    }

    private void report(String what, TraceBenchmark.Traced ours, TraceBenchmark.Floor floor, GdbTraceBaseline.Result gdb) {
        CostSummary cost = ours.cost();
        System.out.println();
        System.out.println("bench trace — " + what + "; tracing " + String.join(",", syscalls) + " while the guest runs `" + WORKLOAD
                + "`; " + seconds + " s per tracer");
        System.out.printf("  %-26s %10s %16s %12s %14s%n", "", "events/s", "per hit: median", "p99", "round trips/hit");
        System.out.printf("  %-26s %10.1f %13.0f µs %9.0f µs %14.1f%n", "vmiscope", ours.eventsPerSecond(),
                cost.stoppedMedianNanos() / 1e3, cost.stoppedP99Nanos() / 1e3, cost.roundTripsPerStop());
        System.out.printf("  %-26s %10.1f %13.0f µs %9.0f µs %14.1f   (hits/s; same stops, replayed reads)%n",
                "protocol floor", floor.hitsPerSecond(), floor.perHitNanos().median() / 1e3,
                floor.perHitNanos().percentile(99) / 1e3, floor.roundTripsPerHit());
        var openat = io.vmiscope.cli.bench.DependencyChains.of("__x64_sys_openat").orElseThrow();
        double rtt = ours.roundTrips().median();
        System.out.printf("  %-26s %10s %13.0f µs %12s %14d   (openat's chain: (%d + 1 resume) × %.1f µs median round trip)%n",
                "dependency floor", "", io.vmiscope.cli.bench.DependencyChains.floorNanos(openat, rtt) / 1e3, "",
                openat.depth(), openat.depth(), rtt / 1e3);
        double firstAnswer = ours.firstAnswers().median();
        double tcgFloor = firstAnswer + openat.depth() * rtt;
        System.out.printf("  %-26s %10s %13.0f µs %12s %14d   (the same, with the stub's first answer after a stop as"
                        + " measured: `g` %.0f µs median)%n", "dependency floor, TCG", "", tcgFloor / 1e3, "",
                openat.depth(), firstAnswer / 1e3);
        System.out.printf("  %-26s %10.1f %13.0f µs %9.0f µs %14s   (VM stopped per hit, timed by a relay between gdb and the stub, n=%d)%n",
                "gdb + Python breakpoints", gdb.eventsPerSecond(),
                gdb.stopped().map(s -> s.median() / 1e3).orElse(Double.NaN),
                gdb.stopped().map(s -> s.percentile(99) / 1e3).orElse(Double.NaN), "", gdb.stoppedNanos().size());
        System.out.println();
        System.out.printf("  vmiscope vs gdb:    %.1f× less VM-stopped time per hit (medians)   goal ≥ 10×; %.1f× the events/s%n",
                gdb.stopped().map(s -> (double) s.median() / cost.stoppedMedianNanos()).orElse(Double.NaN),
                ours.eventsPerSecond() / Math.max(1e-9, gdb.eventsPerSecond()));
        System.out.printf("  vmiscope vs dependency floor: %.2f× its time per hit (median), %.1f round trips per hit against a depth of %d   goal ≤ 1.25×, ≤ 7 round trips%n",
                cost.stoppedMedianNanos() / io.vmiscope.cli.bench.DependencyChains.floorNanos(openat, rtt),
                cost.roundTripsPerStop(), openat.depth());
        System.out.printf("  vmiscope vs dependency floor with the stub's first answer as measured: %.2f×%n",
                cost.stoppedMedianNanos() / tcgFloor);
        System.out.printf("  vmiscope vs replay floor:  %.2f× the floor's median time per hit, %.2f× its hits/s%n",
                cost.stoppedMedianNanos() / (double) floor.perHitNanos().median(),
                floor.hitsPerSecond() / ours.eventsPerSecond());
        System.out.printf("  events: vmiscope %d in %.1f s, gdb %d in %.1f s; vmiscope's %d hits: %s%n", ours.events(),
                ours.seconds(), gdb.events(), gdb.seconds(), cost.hits(), cost.describe());
        double stoppedShare = cost.stoppedNanos() / (ours.seconds() * 1e9);
        if (stoppedShare < 0.5) {
            System.out.printf("  note: the VM was stopped only %.0f%% of the time: the guest, not the tracer, limits the"
                    + " event rate (under TCG QEMU flushes all translated code at every breakpoint stop; see"
                    + " docs/gdbstub.md), so events/s ratios say little here%n", 100 * stoppedShare);
        }
    }
}
