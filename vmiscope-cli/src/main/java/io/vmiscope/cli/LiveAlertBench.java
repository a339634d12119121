package io.vmiscope.cli;

import io.vmiscope.detect.sigma.RuleLoader;
import io.vmiscope.detect.sigma.SigmaDetector;
import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.AlertEvent;
import io.vmiscope.guest.GuestImage;
import io.vmiscope.guest.LabAttack;
import io.vmiscope.guest.QemuLauncher;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.guest.VmOptions;
import io.vmiscope.overhead.budget.Budget;
import io.vmiscope.session.LiveDetection;
import io.vmiscope.web.ServerSettings;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code bench detect --live}: the lab's attack played on the demo guest while it is watched as {@code vmiscope demo}
 * watches it (LiveUi, the default rules live), with the actions the scenarios' rules read. Prints, per step, when its
 * first alert reached the session's sinks (the store among them) against the 10 s goal and against the
 * step's own time (the floor: an alert cannot come before the guest has acted), and the detection thread's latency
 * from an event's arrival to its alert's delivery (p50, p99; goal p99 ≤ 1 s).
 */
final class LiveAlertBench {

    /** The actions whose events the scenarios' rules read: the demo's two, files, network and module loading. */
    static final List<ActionSpec> LAB_ACTIONS = Stream.of("pslist:5s", "procevents", "files", "network",
            "syscalls:init_module,finit_module").map(ActionSpec::parse).toList();

    private static final double STEP_GOAL_SECONDS = 10;
    private static final double LATENCY_GOAL_MILLIS = 1000;
    /** How long a step's alerts are awaited before the next step. */
    private static final Duration AWAIT = Duration.ofSeconds(30);
    /** A step's alerts are over once none has come for this long. */
    private static final Duration QUIET = Duration.ofSeconds(3);

    /** An alert as the sinks got it: when (monotonic), and how long after the guest's act it names (wall clock). */
    private record Delivered(long nanos, AlertEvent alert, long sinceActNanos) {
    }

    /**
     * One step: its own time; when its first and last alert arrived (NaN: none), from when it was sent; and the
     * longest time from a guest act (the hit an alert names) to its alert.
     */
    private record StepFigures(String step, double tookSeconds, double firstAlertSeconds, double lastAlertSeconds,
                               double actToAlertSeconds, List<String> titles) {
    }

    private final PrintWriter out;
    private final ConcurrentLinkedQueue<Delivered> delivered = new ConcurrentLinkedQueue<>();

    LiveAlertBench(PrintWriter out) {
        this.out = out;
    }

    /** Boots the demo guest, plays every step once, prints the figures; the VM and QEMU end with it. */
    void run() throws Exception {
        GuestImage image = GuestCommand.buildImage();
        String name = "bench-detect-" + ProcessHandle.current().pid();
        try (QemuVm vm = QemuLauncher.withDefaults().start(image, VmOptions.named(name));
             TargetOptions.Session session = attach(vm, image)) {
            Path db = Files.createTempDirectory("vmiscope-bench-live").resolve("live.duckdb");
            LiveUi ui = new LiveUi(ServerSettings.withToken("127.0.0.1", 0), db.resolveSibling("no-model.json"),
                    Budget.MOST, LAB_ACTIONS, Optional.of(new SigmaDetector(RuleLoader.load(List.of(), true, Set.of()))));
            CompletableFuture<Void> ready = new CompletableFuture<>();
            Thread runner = new Thread(() -> {
                try {
                    ui.run(session.target(), db, event -> {
                        if (event instanceof AlertEvent alert) {
                            // the alert's time is its event's: the monitor's wall clock at the hit
                            delivered.add(new Delivered(System.nanoTime(), alert,
                                    System.currentTimeMillis() * 1_000_000L - alert.timeNanos()));
                        }
                    }, server -> ready.complete(null));
                } catch (RuntimeException e) {
                    ready.completeExceptionally(e);
                }
            }, "bench-detect-live");
            runner.start();
            ready.get(3, TimeUnit.MINUTES);
            List<StepFigures> steps = playEveryStep(vm);
            ui.end();
            runner.join(TimeUnit.SECONDS.toMillis(30));
            report(steps, ui.detection());
        }
    }

    private static TargetOptions.Session attach(QemuVm vm, GuestImage image) {
        vm.awaitBooted(Duration.ofMinutes(3));
        return TargetOptions.attach(TargetOptions.Resolved.of(vm, image.kernel()));
    }

    private List<StepFigures> playEveryStep(QemuVm vm) throws InterruptedException {
        List<StepFigures> figures = new ArrayList<>();
        try (LabAttack attack = LabAttack.start(vm.httpPort())) {
            for (String step : LabAttack.STEPS) {
                MonitorCommand.log("step " + step + " …");
                delivered.clear();
                LabAttack.StepResult result = attack.run(step);
                long deadline = result.sentNanos() + AWAIT.toNanos();
                long lastChange = System.nanoTime();
                int seen = 0;
                while (System.nanoTime() < deadline && (seen == 0 || System.nanoTime() - lastChange < QUIET.toNanos())) {
                    Thread.sleep(50);
                    if (delivered.size() != seen) {
                        seen = delivered.size();
                        lastChange = System.nanoTime();
                    }
                }
                List<Delivered> alerts = List.copyOf(delivered);
                figures.add(new StepFigures(step, result.took().toNanos() / 1e9,
                        alerts.isEmpty() ? Double.NaN : (alerts.get(0).nanos() - result.sentNanos()) / 1e9,
                        alerts.isEmpty() ? Double.NaN : (alerts.get(alerts.size() - 1).nanos() - result.sentNanos()) / 1e9,
                        alerts.stream().mapToLong(Delivered::sinceActNanos).max().orElse(-1) / 1e9,
                        alerts.stream().map(d -> d.alert().title()).distinct().toList()));
            }
        }
        return figures;
    }

    private void report(List<StepFigures> steps, Optional<LiveDetection> detection) {
        out.println();
        out.println("bench detect --live — the lab's attack on the demo guest (TCG or KVM as it booted), default rules "
                + "live, actions " + LAB_ACTIONS);
        out.printf("  %-15s %10s %12s %12s %13s %8s  %s%n", "step", "step took", "first alert", "last alert",
                "act → alert", "vs goal", "alerts");
        for (StepFigures s : steps) {
            out.printf(Locale.ROOT, "  %-15s %9.1fs %12s %12s %13s %8s  %s%n", s.step(), s.tookSeconds(),
                    seconds(s.firstAlertSeconds()), seconds(s.lastAlertSeconds()),
                    s.titles().isEmpty() ? "-" : String.format(Locale.ROOT, "%.2fs", s.actToAlertSeconds()),
                    s.titles().isEmpty() ? "-" : String.format(Locale.ROOT, "%.2f×", s.actToAlertSeconds() / STEP_GOAL_SECONDS),
                    s.titles().isEmpty() ? "-" : String.join("; ", s.titles()));
        }
        long met = steps.stream().filter(s -> !s.titles().isEmpty() && s.actToAlertSeconds() <= STEP_GOAL_SECONDS).count();
        out.printf("  first/last alert: from sending the step (which includes the step's own run in the guest); act → "
                + "alert: from the hit an alert names to the alert, the longest of the step's%n");
        out.printf("  steps whose every alert came within %.0f s of the act: %d of %d%n", STEP_GOAL_SECONDS, met,
                steps.size());
        detection.ifPresent(d -> out.printf(Locale.ROOT, "  event arrival → alert delivered to the sinks (the store "
                        + "among them): p50 %.1f ms, p99 %.1f ms over %d alerts; goal p99 ≤ %.0f ms: %s; %d events dropped%n",
                d.latencyNanos(0.5) / 1e6, d.latencyNanos(0.99) / 1e6, d.alerts(), LATENCY_GOAL_MILLIS,
                d.alerts() > 0 && d.latencyNanos(0.99) / 1e6 <= LATENCY_GOAL_MILLIS ? "met" : "NOT met", d.dropped()));
        out.flush();
    }

    private static String seconds(double s) {
        return Double.isNaN(s) ? "none in 30 s" : String.format(Locale.ROOT, "%.1fs", s);
    }
}
