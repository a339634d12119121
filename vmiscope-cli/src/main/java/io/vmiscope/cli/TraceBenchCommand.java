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
                + "decoding the same fields. Prints events/s and per-hit cost side by side.",
                "Boots its own demo guest unless --vm names a running one."})
final class TraceBenchCommand implements Callable<Integer> {

    /** Thousands of openat per second under TCG (read's redirection needs no fork), an execve every 50th turn. */
    static final String WORKLOAD = "i=0; while :; do read x </etc/passwd; i=$((i+1)); [ $((i % 50)) = 0 ] && /bin/true; done";

    @Option(names = "--seconds", defaultValue = "10", description = "tracing time per tracer (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--syscalls", defaultValue = "openat,execve", split = ",",
            description = "syscalls to trace (default: ${DEFAULT-VALUE})")
    List<String> syscalls;

    @Mixin
    BenchGuest guest;

    @Override
    public Integer call() throws Exception {
        return guest.with("bench-trace", this::bench);
    }

    private int bench(QemuVm guest, Path kernel, String what) throws Exception {
        KernelProfile profile = KernelProfiles.load(kernel, ProfileCache.atDefaultLocation());
        Duration time = Duration.ofSeconds(seconds);
        GdbAddress stub = new GdbAddress.Unix(guest.gdbSocket());
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
        } finally {
            guest.console().run("kill " + pid);
        }
        return 0;
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
        System.out.printf("  %-26s %10.1f %13.0f µs %12s %14s   (mean: tracing time / events)%n", "gdb + Python breakpoints",
                gdb.eventsPerSecond(), gdb.seconds() * 1e6 / Math.max(1, gdb.events()), "", "");
        System.out.println();
        System.out.printf("  vmiscope vs gdb:    %.1f× the events/s                         goal ≥ 30×%n",
                ours.eventsPerSecond() / Math.max(1e-9, gdb.eventsPerSecond()));
        System.out.printf("  vmiscope vs floor:  %.2f× the floor's median time per hit, %.2f× its hits/s   goal ≤ 1.25×%n",
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
