package io.vmiscope.cli;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.CostSummary;
import io.vmiscope.monitor.Action;
import io.vmiscope.monitor.Actions;
import io.vmiscope.monitor.Monitor;
import io.vmiscope.overhead.ActionProfile;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs actions on an attached VM for a warm-up and a measured window, the way an overhead experiment
 * needs it: a fresh monitor (so costs are this run's), the stops per site and the VM-stopped time
 * counted over the window only, and no breakpoint left afterwards. Events are discarded: the cost of
 * producing them is what is measured, not their content.
 */
final class MonitoredWindow {

    /** What the window gave besides the workload's own measurement. */
    record Result<T>(T measured, List<ActionProfile> actions, Map<String, Long> stopsBySite, double stoppedSeconds,
                     List<CostSummary> costs) {
    }

    private MonitoredWindow() {
    }

    /**
     * @param measure measures the workload; called once the warm-up is over, it runs for the window
     */
    static <T> Result<T> run(TargetOptions.Session session, List<String> specs, Duration warmUp, Supplier<T> measure) {
        List<Action> actions = specs.stream()
                .map(spec -> Actions.build(ActionSpec.parse(spec), session.linux(), false)).toList();
        Monitor monitor = new Monitor(session.driver(), session.linux(), event -> { }, Monitor.Options.named(session.name()));
        actions.forEach(monitor::start);
        try (BackgroundLoop loop = BackgroundLoop.start(monitor, "vmiscope-overhead-monitor")) {
            awaitRunning(monitor, actions.size(), loop);
            sleep(warmUp);
            Map<String, Long> stopsBefore = monitor.stopsBySite();
            long stoppedBefore = stoppedNanos(monitor);
            T measured = measure.get();
            Map<String, Long> stops = new HashMap<>(monitor.stopsBySite());
            stopsBefore.forEach((site, n) -> stops.merge(site, -n, Long::sum));
            double stoppedSeconds = (stoppedNanos(monitor) - stoppedBefore) / 1e9;
            return new Result<>(measured, actions.stream().map(ActionProfile::of).toList(), stops, stoppedSeconds,
                    monitor.costs());
        }
    }

    private static long stoppedNanos(Monitor monitor) {
        return monitor.costs().stream().mapToLong(CostSummary::stoppedNanos).sum();
    }

    private static void awaitRunning(Monitor monitor, int actions, BackgroundLoop loop) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (monitor.running().size() < actions) {
            loop.throwIfFailed();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the actions did not start within 30 s");
            }
            sleep(Duration.ofMillis(10));
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
