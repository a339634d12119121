package io.vmiscope.cli;

import io.vmiscope.analysis.Analysis;
import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.ControlEvent;
import io.vmiscope.events.EventSink;
import io.vmiscope.monitor.Actions;
import io.vmiscope.monitor.Monitor;
import io.vmiscope.overhead.budget.Budget;
import io.vmiscope.overhead.budget.BuiltActions;
import io.vmiscope.overhead.model.ModelFile;
import io.vmiscope.overhead.model.OverheadModel;
import io.vmiscope.web.ServerSettings;
import io.vmiscope.web.WebServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A VM watched live with the browser UI on top, as {@code vmiscope demo} runs it: a counting pass for the
 * cost previews, then the monitor with the default actions, every event stored and streamed to the
 * browsers, the UI served over the store, and on-demand actions stopped, newest first, when the VM stays
 * over its budget ({@link LiveBudgetGuard}), until {@link #end()} (or Ctrl-C). The VM runs with no
 * breakpoint left when {@link #run} returns.
 */
final class LiveUi {

    private final ServerSettings settings;
    private final Path modelFile;
    private final Budget budget;
    private final List<ActionSpec> defaultActions;
    private final AtomicReference<Monitor> monitor = new AtomicReference<>();
    private volatile boolean endRequested;

    LiveUi(ServerSettings settings, Path modelFile, Budget budget, List<ActionSpec> defaultActions) {
        this.settings = settings;
        this.modelFile = modelFile;
        this.budget = budget;
        this.defaultActions = List.copyOf(defaultActions);
    }

    /**
     * Runs until {@link #end()}.
     *
     * @param output  also sees every live event (e.g. to print snapshots)
     * @param started told once the UI listens
     */
    void run(TargetOptions.Session session, Path db, EventSink output, Consumer<WebServer> started) {
        BuiltActions built = new BuiltActions(spec -> Actions.build(spec, session.linux(), false));
        System.err.println("vmiscope: counting hook rates for " + HookRateProbe.WINDOW.toSeconds()
                + " s, for the cost previews of on-demand actions");
        HookRateProbe.Result probe = HookRateProbe.measure(session,
                LiveSession.probedSpecs().stream().map(built::action).toList(), HookRateProbe.WINDOW);
        Optional<OverheadModel> model = Files.isRegularFile(modelFile) ? Optional.of(ModelFile.read(modelFile))
                : Optional.empty();
        AtomicReference<LiveSession> live = new AtomicReference<>();
        AtomicReference<WebServer> server = new AtomicReference<>();
        EventSink tee = event -> {
            output.accept(event);
            live.get().seen(event);
            server.get().liveEvents().accept(event);
            if (event instanceof ControlEvent c) {
                server.get().control(c.vm(), c.action(), c.change(), c.reason());
            }
        };
        MonitoringRun.run(session, (m, sink, store) -> {
            monitor.set(m);
            Analysis analysis = Analysis.open(store.orElseThrow());
            LiveSession liveSession = new LiveSession(session.name(), m, built, probe, model,
                    session.driver().vcpus().size(), budget, new LiveBudgetGuard(),
                    vm -> server.get().actionsChanged(vm), (action, reason) -> {
                        System.err.println("vmiscope: " + action + " stopped: " + reason);
                        server.get().control(session.name(), action, "stopped", reason);
                        server.get().actionsChanged(session.name());
                    });
            live.set(liveSession);
            server.set(WebServer.start(settings, store.get(), analysis, () -> List.of(liveSession), modelFile));
            for (ActionSpec spec : defaultActions) {
                m.start(built.action(spec));
                liveSession.started(spec);
            }
            if (endRequested) {
                m.requestEnd();
            }
            started.accept(server.get());
            return () -> {
                liveSession.ended();
                server.get().close();
                analysis.close();
            };
        }, tee, new MonitoringRun.Settings(Duration.ofDays(3650), db, false));
    }

    /** Ends the run at the monitor's next turn; any thread. */
    void end() {
        endRequested = true;
        Monitor m = monitor.get();
        if (m != null) {
            m.requestEnd();
        }
    }
}
