package io.vmiscope.cli;

import io.vmiscope.analysis.Analysis;
import io.vmiscope.detect.Detector;
import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.EventSink;
import io.vmiscope.monitor.Actions;
import io.vmiscope.monitor.Monitor;
import io.vmiscope.overhead.budget.Budget;
import io.vmiscope.overhead.budget.BuiltActions;
import io.vmiscope.session.BudgetPlanning;
import io.vmiscope.session.HookRateProbe;
import io.vmiscope.session.LiveDetection;
import io.vmiscope.session.LiveSession;
import io.vmiscope.session.Session;
import io.vmiscope.session.SessionSinks;
import io.vmiscope.session.Target;
import io.vmiscope.session.live.LiveVmList;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.StoreOptions;
import io.vmiscope.web.ServerSettings;
import io.vmiscope.web.WebServer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A VM watched live with the browser UI on top, as {@code vmiscope demo} wires it, in this order: a counting
 * pass for the cost previews; the store; the web server (no live VM yet); the live session; the sinks, built
 * once (detection, output, store, the browsers' stream, the live session's own; detection's alerts go to the
 * same sinks after the live session has decided their follow-ups); then the session runs until
 * {@link #end()} (or Ctrl-C) and the server learns of the live VM. The VM runs with no breakpoint left when
 * {@link #run} returns.
 */
final class LiveUi {

    private final ServerSettings settings;
    private final Path modelFile;
    private final Budget budget;
    private final List<ActionSpec> defaultActions;
    private final Optional<Detector> detector;
    private volatile Monitor monitor;
    private volatile Optional<LiveDetection> detection = Optional.empty();
    private volatile boolean endRequested;

    /** @param detector what detects live (alerts printed, stored, streamed; follow-ups under the budget), if anything */
    LiveUi(ServerSettings settings, Path modelFile, Budget budget, List<ActionSpec> defaultActions,
           Optional<Detector> detector) {
        this.settings = settings;
        this.modelFile = modelFile;
        this.budget = budget;
        this.defaultActions = List.copyOf(defaultActions);
        this.detector = detector;
    }

    /**
     * Runs until {@link #end()}.
     *
     * @param output  also sees every live event (e.g. to print snapshots)
     * @param started told once the UI listens
     */
    void run(Target target, Path db, EventSink output, Consumer<WebServer> started) {
        BuiltActions built = new BuiltActions(spec -> Actions.build(spec, target.linux(), false));
        MonitorCommand.log("counting hook rates for " + HookRateProbe.WINDOW.toSeconds()
                + " s, for the cost previews of on-demand actions");
        List<ActionSpec> probed = new ArrayList<>(LiveSession.probedSpecs());
        defaultActions.stream().filter(spec -> !probed.contains(spec)).forEach(probed::add);
        BudgetPlanning planning = BudgetPlanning.measure(target, built, probed, modelFile);
        MonitorCommand.log(planning.basis());
        DuckDbEventStore store = DuckDbEventStore.open(db, StoreOptions.defaults().withWarnings(MonitorCommand::log));
        Analysis analysis = Analysis.open(store);
        LiveVmList live = new LiveVmList();
        WebServer server = WebServer.start(settings, store, analysis, live, modelFile);
        LiveSession session = new LiveSession(target.name(), planning, budget, defaultActions, MonitorCommand::log);
        Optional<LiveDetection> detection = detector.map(d -> new LiveDetection(d, MonitorCommand::log));
        this.detection = detection;
        // detection first: closing drains it while the others still take its last alerts
        SessionSinks sinks = new SessionSinks();
        detection.ifPresent(sinks::add);
        sinks.add(output).addOwnedElsewhere(store).addOwnedElsewhere(server.liveEvents()).addOwnedElsewhere(session.sink());
        detection.ifPresent(d -> d.deliverTo(sinks, alert -> session.followUp(alert, d.followUps(alert))));
        Session.run(target, (m, sink) -> {
            monitor = m;
            Session.Beside beside = session.begin(m, sink, () -> started.accept(server));
            live.add(session);
            if (endRequested) {
                m.requestEnd();
            }
            return () -> {
                beside.close();
                live.remove(session);
                server.close();
                analysis.close();
            };
        }, sinks, Optional.of(store), Duration.ofDays(3650), MonitorCommand::log);
    }

    /** The run's live detection (its alert counts and latencies), once {@link #run} has begun; empty without a detector. */
    Optional<LiveDetection> detection() {
        return detection;
    }

    /** Ends the run at the monitor's next turn; any thread. */
    void end() {
        endRequested = true;
        Monitor m = monitor;
        if (m != null) {
            m.requestEnd();
        }
    }
}
