package io.vmiscope.cli;

import io.vmiscope.events.Event;
import io.vmiscope.events.ProcessSnapshotEvent;
import io.vmiscope.guest.GuestImage;
import io.vmiscope.guest.QemuLauncher;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.monitor.Monitor;
import io.vmiscope.monitor.ProcessEventsAction;
import io.vmiscope.monitor.ProcessFilter;
import io.vmiscope.monitor.SnapshotAction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/** {@code vmiscope demo}: the main job — boot the demo guest, watch it from outside, keep what is seen. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Build and boot the demo guest, attach to it from outside through QEMU's gdbstub, and watch it: "
                + "a process snapshot every few seconds (printed as a tree) and process events (exec, fork, exit), "
                + "all stored in a DuckDB file, until Ctrl-C. The VM and QEMU end with the command."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--interval", defaultValue = "5", paramLabel = "SECONDS",
            description = "seconds between process snapshots (default: ${DEFAULT-VALUE})")
    int intervalSeconds;

    @Option(names = "--count", defaultValue = "0", description = "stop after this many snapshots (default: until Ctrl-C)")
    int count;

    @Option(names = "--db", defaultValue = "vmiscope-data/vmiscope.duckdb", paramLabel = "PATH",
            description = "where to keep the events and costs (default: ${DEFAULT-VALUE}; see docs/store.md)")
    Path db;

    @Mixin
    GuestCommand.BootOptions boot;

    @Override
    public Integer call() {
        HostTools.require("qemu-system-x86_64", "qemu-system-x86");
        GuestImage image = GuestCommand.buildImage();
        String name = "demo-" + ProcessHandle.current().pid();
        System.err.println("vmiscope: booting the demo guest (" + image.kernelVersion() + ") …");
        try (QemuVm vm = QemuLauncher.withDefaults().start(image, boot.toOptions(name))) {
            Duration booted = vm.awaitBooted(Duration.ofMinutes(3));
            System.out.printf("guest %s up in %.1f s (%s); its web service: http://127.0.0.1:%d/%n", name,
                    booted.toMillis() / 1000.0, vm.state().accelerator(), vm.httpPort());
            TargetOptions.Resolved target = new TargetOptions.Resolved(name, "127.0.0.1", vm.gdbPort(), image.kernel(),
                    Optional.of(vm.state().guardQmpSocket()));
            try (TargetOptions.Session session = TargetOptions.attach(target)) {
                System.out.println("attached through the gdbstub at 127.0.0.1:" + vm.gdbPort() + ": "
                        + session.linux().location() + "; storing what is seen in " + db);
                AtomicReference<Monitor> monitor = new AtomicReference<>();
                int[] snapshots = {0};
                MonitoringRun.run(session, List.of(
                                new SnapshotAction(SnapshotAction.Kind.PROCESSES, Duration.ofSeconds(intervalSeconds)),
                                new ProcessEventsAction(session.linux(), ProcessFilter.ALL)),
                        event -> {
                            if (event instanceof ProcessSnapshotEvent snapshot) {
                                printTree(name, snapshot);
                                if (count > 0 && ++snapshots[0] >= count) {
                                    monitor.get().requestEnd();
                                }
                            }
                        },
                        new MonitoringRun.Settings(Duration.ofDays(3650), db, false), monitor::set);
            }
        }
        return 0;
    }

    private static void printTree(String vm, ProcessSnapshotEvent snapshot) {
        System.out.println();
        System.out.println("── " + LocalTime.ofInstant(Instant.ofEpochSecond(0, snapshot.timeNanos()), ZoneId.systemDefault())
                .truncatedTo(ChronoUnit.SECONDS) + " ── process tree of " + vm + " (read from kernel memory; Ctrl-C ends) ──");
        ProcessListRenderer.tree(snapshot.processes().stream().map(p -> new ProcessListRenderer.TreeRow(p.pid(), p.ppid(),
                p.argv().isEmpty() ? "[" + p.name() + "]" : String.join(" ", p.argv()))).toList(), System.out);
        System.out.println(snapshot.processes().size() + " processes; appeared " + snapshot.appeared().size()
                + ", disappeared " + snapshot.disappeared().size());
    }
}
