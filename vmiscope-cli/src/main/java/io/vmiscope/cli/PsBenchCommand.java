package io.vmiscope.cli;

import io.vmiscope.cli.bench.GdbPsBaseline;
import io.vmiscope.gdb.GdbAddress;
import io.vmiscope.cli.bench.PsBenchmark;
import io.vmiscope.cli.bench.Samples;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.profile.KernelProfiles;
import io.vmiscope.linux.profile.ProfileCache;
import io.vmiscope.linux.task.ProcessInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code vmiscope bench ps}: a full process list, vmiscope vs Debian's gdb vs the protocol floor. */
@Command(name = "ps", mixinStandardHelpOptions = true,
        description = {"Time a full process list of the demo guest (VM held stopped) and count its protocol round "
                + "trips; in the same run, Debian's gdb produces the same list with a gdb Python script over the same "
                + "stub, and the protocol floor is round trips × the measured mean round-trip time.",
                "Boots its own demo guest unless --vm names a running one."})
final class PsBenchCommand implements Callable<Integer> {

    @Option(names = "--runs", defaultValue = "15", description = "measured listings per tool (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--warmup", defaultValue = "10", description = "unmeasured listings first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--rtt-samples", defaultValue = "500", description = "round trips timed for the floor (default: ${DEFAULT-VALUE})")
    int rttSamples;

    @Mixin
    BenchGuest guest;

    @Override
    public Integer call() throws Exception {
        return guest.with("bench-ps", (vm, kernel, what) -> bench(vm,
                new TargetOptions.Resolved(vm.name(), new GdbAddress.Unix(vm.gdbSocket()), kernel, Optional.empty()),
                what));
    }

    private int bench(QemuVm vm, TargetOptions.Resolved target, String what) throws Exception {
        KernelProfile profile = KernelProfiles.load(target.kernel(), ProfileCache.atDefaultLocation());
        System.err.println("vmiscope: " + runs + " listings with vmiscope …");
        PsBenchmark.Result ours = PsBenchmark.run(target.gdb(), profile, warmup, runs, rttSamples);
        // vmiscope's detach resumed the VM: stop it again at once so gdb lists the same processes
        vm.qmp().stop();
        GdbPsBaseline.Result gdb;
        try {
            System.err.println("vmiscope: " + runs + " listings with gdb …");
            Path work = Files.createTempDirectory("vmiscope-bench-ps");
            gdb = GdbPsBaseline.run(target.gdb(), profile, ours.slide(), warmup, runs,
                    io.vmiscope.linux.walk.WalkLimits.DEFAULT.maxArgvBytes(), work);
        } finally {
            vm.qmp().cont();
        }

        Samples v = Samples.of(ours.walkNanos());
        Samples g = Samples.of(gdb.walkNanos());
        double floor = ours.floorNanos();
        System.out.println();
        System.out.println("bench ps — " + what + "; " + ours.last().items().size() + " processes; "
                + runs + " runs each after " + warmup + " warm-up");
        System.out.printf("  %-28s %10s %9s %9s %9s %12s%n", "", "median", "min", "p90", "max", "round trips");
        row("vmiscope", v, ours.roundTripsPerRun() + " (" + ours.requestsPerRun() + " requests, pipelined)");
        row("gdb + Python script", g, "(one per read)");
        System.out.printf("  %-28s %7.2f ms   = %d round trips × %.1f µs mean RTT (median %.1f µs, p90 %.1f, n=%d)%n",
                "protocol floor", floor / 1e6, ours.roundTripsPerRun(), ours.rtt().mean() / 1e3,
                ours.rtt().median() / 1e3, ours.rtt().percentile(90) / 1e3, ours.rtt().count());
        Samples replay = Samples.of(ours.replayNanos());
        System.out.printf("  %-28s %7.2f ms %9.2f %9.2f %9.2f   the same %d batches / %d requests re-sent, nothing decoded%n",
                "replay floor", replay.median() / 1e6, replay.min() / 1e6, replay.percentile(90) / 1e6,
                replay.max() / 1e6, ours.roundTripsPerRun(), ours.requestsPerRun());
        System.out.printf("  %-28s %7.2f ms   of vmiscope's median spent waiting for the stub%n", "waiting",
                Samples.of(ours.waitNanos()).median() / 1e6);
        Samples own = Samples.of(java.util.stream.IntStream.range(0, ours.walkNanos().size())
                .mapToObj(i -> ours.walkNanos().get(i) - ours.waitNanos().get(i)).toList());
        System.out.printf("  %-28s %7.2f ms %9.2f %9.2f %9.2f   per listing: translation, decoding, bookkeeping (not waiting)%n",
                "vmiscope's own time", own.median() / 1e6, own.min() / 1e6, own.percentile(90) / 1e6, own.max() / 1e6);
        System.out.println();
        System.out.printf("  vmiscope vs gdb:    %.1f× faster (median; min-to-min %.1f×)   goal ≥ 5×%n",
                (double) g.median() / v.median(), (double) g.min() / v.min());
        System.out.printf("  vmiscope vs floor:  %.2f× round trips × RTT, %.2f× the replay floor (medians)   goal ≤ 1.5×%n",
                v.median() / floor, (double) v.median() / replay.median());
        System.out.printf("  gdb process in all (start-up, connect, %d listings): %.2f s%n", warmup + runs,
                gdb.totalNanos() / 1e9);
        String comparison = compare(ours.last().items(), gdb.processes());
        System.out.println("  same list from both tools: " + comparison);
        return 0;
    }

    private static void row(String name, Samples s, String roundTrips) {
        System.out.printf("  %-28s %7.2f ms %9.2f %9.2f %9.2f %12s%n", name, s.median() / 1e6, s.min() / 1e6,
                s.percentile(90) / 1e6, s.max() / 1e6, roundTrips);
    }

    /** Both tools must have done the same work: same pids, ppids, names and argv. */
    static String compare(List<ProcessInfo> ours, List<Map<String, Object>> theirs) {
        Map<Integer, String> a = new TreeMap<>();
        ours.forEach(p -> a.put(p.tgid(), p.ppid() + " " + p.comm() + " " + p.argv()));
        Map<Integer, String> b = new TreeMap<>();
        theirs.forEach(p -> b.put(((Number) p.get("pid")).intValue(),
                p.get("ppid") + " " + p.get("comm") + " " + p.get("argv")));
        if (Objects.equals(a, b)) {
            return "yes (" + a.size() + " processes: pids, ppids, names and argv identical)";
        }
        return "NO — vmiscope " + a.size() + " processes, gdb " + b.size() + "; first difference: "
                + a.entrySet().stream().filter(e -> !Objects.equals(e.getValue(), b.get(e.getKey()))).findFirst()
                .map(e -> "pid " + e.getKey() + ": vmiscope '" + e.getValue() + "', gdb '" + b.get(e.getKey()) + "'")
                .orElse("gdb has extra pids");
    }
}
