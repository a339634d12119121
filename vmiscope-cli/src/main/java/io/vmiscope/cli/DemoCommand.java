package io.vmiscope.cli;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.ProcessFilter;
import io.vmiscope.detect.Detector;
import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.ProcessSnapshotEvent;
import io.vmiscope.guest.GuestImage;
import io.vmiscope.guest.QemuLauncher;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.overhead.budget.Budget;
import io.vmiscope.web.ServerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/** {@code vmiscope demo}: the main job — boot the demo guest, watch it from outside, keep what is seen, show it. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Build and boot the demo guest, attach to it from outside through QEMU's gdbstub, and watch it "
                + "with a low-cost default action set: a process snapshot every few seconds (printed as a tree) and "
                + "process events (exec, fork, exit), all stored in a DuckDB file. The browser UI at the printed URL "
                + "shows what is seen and starts more introspection on demand, with its predicted cost. Runs until "
                + "Ctrl-C; the VM and QEMU end with the command."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--interval", defaultValue = "5", paramLabel = "SECONDS",
            description = "seconds between process snapshots (default: ${DEFAULT-VALUE})")
    int intervalSeconds;

    @Option(names = "--count", defaultValue = "0", description = "stop after this many snapshots (default: until Ctrl-C)")
    int count;

    @Mixin
    DbOption db;

    @Option(names = "--budget", defaultValue = "10%", paramLabel = "PERCENT",
            description = "the VM's overhead budget, against which on-demand actions are previewed (default: ${DEFAULT-VALUE})")
    String budget;

    @Mixin
    GuestCommand.BootOptions boot;

    @Mixin
    WebOptions web;

    @Mixin
    RuleOptions rules;

    @Option(names = "--no-detect", description = "do not run the Sigma rules on what is seen (by default the default "
            + "ruleset and any --rules run live: alerts are printed, stored and shown in the browser)")
    boolean noDetect;

    @Override
    public Integer call() {
        HostTools.require("qemu-system-x86_64", "qemu-system-x86");
        Budget vmBudget = Budget.parse(budget);
        ServerSettings settings = web.settings();
        web.checkPortFree();
        GuestImage image = boot.image();
        String name = "demo-" + ProcessHandle.current().pid();
        System.err.println("vmiscope: booting the " + boot.distro().id() + " guest (" + image.kernelVersion() + ") …");
        try (QemuVm vm = QemuLauncher.withDefaults().start(image, boot.toOptions(name))) {
            Duration booted = vm.awaitBooted(Duration.ofMinutes(3));
            System.out.printf("guest %s up in %.1f s (%s); its web service: http://127.0.0.1:%d/%n", name,
                    booted.toMillis() / 1000.0, vm.state().accelerator(), vm.httpPort());
            TargetOptions.Resolved target = TargetOptions.Resolved.of(vm, image.kernel());
            try (TargetOptions.Session session = TargetOptions.attach(target)) {
                System.out.println("attached through the gdbstub at " + target.gdb() + ": "
                        + session.linux().location() + "; storing what is seen in " + db.path());
                watch(session, name, vmBudget, settings);
            }
        }
        return 0;
    }

    private void watch(TargetOptions.Session session, String name, Budget vmBudget, ServerSettings settings) {
        int[] snapshots = {0};
        AtomicReference<String> uiUrl = new AtomicReference<>();
        List<ActionSpec> defaults = List.of(defaultSnapshot(), new ActionSpec.ProcessEvents(ProcessFilter.ALL));
        Optional<Detector> detector = noDetect ? Optional.empty()
                : Optional.of(rules.liveDetector(defaults, session.linux()));
        LiveUi ui = new LiveUi(settings, web.model(), vmBudget, defaults, detector);
        ui.run(session.target(), db.path(), event -> {
            if (event instanceof AlertEvent alert) {
                System.out.println("ALERT " + DetectCommand.line(alert));
            } else if (event instanceof ProcessSnapshotEvent snapshot && event.action().equals(defaultSnapshot().toString())) {
                printTree(name, snapshot, uiUrl.get());
                if (count > 0 && ++snapshots[0] >= count) {
                    ui.end();
                }
            }
        }, server -> {
            uiUrl.set(server.url());
            System.out.println("vmiscope: the UI is at " + server.url() + " (Ctrl-C ends)");
        });
    }

    private ActionSpec defaultSnapshot() {
        return new ActionSpec.ProcessList(Duration.ofSeconds(intervalSeconds), true);
    }

    /** The tree, and below it the UI's address again: the trees scroll the first mention away. */
    private static void printTree(String vm, ProcessSnapshotEvent snapshot, String ui) {
        System.out.println();
        System.out.println("── " + LocalTime.ofInstant(Instant.ofEpochSecond(0, snapshot.timeNanos()), ZoneId.systemDefault())
                .truncatedTo(ChronoUnit.SECONDS) + " ── process tree of " + vm + " (read from kernel memory; Ctrl-C ends) ──");
        ProcessListRenderer.tree(snapshot.processes().stream().map(p -> new ProcessListRenderer.TreeRow(p.pid(), p.ppid(),
                p.argv().isEmpty() ? "[" + p.name() + "]" : String.join(" ", p.argv()))).toList(), System.out);
        System.out.println(snapshot.processes().size() + " processes; appeared " + snapshot.appeared().size()
                + ", disappeared " + snapshot.disappeared().size() + (ui == null ? "" : " · UI: " + ui));
    }
}
