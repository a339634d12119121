package io.vmiscope.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.vmiscope.analysis.Analysis;
import io.vmiscope.analysis.AnalysisException;
import io.vmiscope.events.EventSink;
import io.vmiscope.overhead.experiment.ExperimentStore;
import io.vmiscope.session.live.LiveVms;
import io.vmiscope.store.EventReader;
import io.vmiscope.store.StoreConnections;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The UI's HTTP server over one store: the JSON API (web/openapi.yaml, browsable at /api/docs), the live
 * stream and the single-page app, all from the jar. Start it once the store is open; close it before the
 * store.
 */
public final class WebServer implements AutoCloseable {

    /** The product version the API reports. */
    public static final String VERSION = "0.1.0";

    private final Javalin app;
    private final LiveStream stream;
    private final ServerSettings settings;

    private WebServer(Javalin app, LiveStream stream, ServerSettings settings) {
        this.app = app;
        this.stream = stream;
        this.settings = settings;
    }

    /**
     * Serves {@code store} (through {@code analysis}) with {@code live} VMs controllable, what-if predictions
     * from {@code modelFile} (may be missing) and the store's experiments. The server reads the store through its
     * ports only: {@link EventReader} (costs, waiting for queued events before a refresh) and
     * {@link StoreConnections} (the experiments' tables).
     *
     * @throws IllegalArgumentException when the port is taken or the address is not this machine's
     */
    public static <S extends EventReader & StoreConnections> WebServer start(ServerSettings settings, S store,
                                                                            Analysis analysis, LiveVms live,
                                                                            Path modelFile) {
        ObjectMapper json = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        LiveStream stream = new LiveStream(store, analysis, json);
        AccessGuard guard = new AccessGuard(settings);
        VmRoutes vms = new VmRoutes(analysis, live);
        OverheadRoutes overhead = new OverheadRoutes(store, live, vms,
                WorkloadWhatIf.load(new ExperimentStore(store), modelFile), stream);
        ActionRoutes actions = new ActionRoutes(live, vms, stream);
        Javalin app = Javalin.create(config -> {
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(json, false));
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/web";
                files.location = Location.CLASSPATH;
            });
            config.staticFiles.enableWebjars();
            config.routes.before(guard::check);
            config.routes.get("/api/session", ctx -> ctx.json(Map.of("csrf", guard.csrf(), "version", VERSION,
                    "live", !live.all().isEmpty())));
            config.routes.get("/api/docs", ctx -> ctx.redirect("/api-docs.html"));
            config.routes.sse("/api/stream", client -> stream.follow(client, client.ctx().queryParam("vm")));
            vms.register(config.routes);
            overhead.register(config.routes);
            actions.register(config.routes);
            config.routes.exception(ApiException.class, (e, ctx) -> ctx.status(e.status()).json(error(e.getMessage())));
            config.routes.exception(IllegalArgumentException.class, (e, ctx) -> ctx.status(400).json(error(e.getMessage())));
            config.routes.exception(AnalysisException.class, (e, ctx) -> ctx.status(500).json(error(e.getMessage())));
            config.routes.exception(Exception.class, (e, ctx) -> ctx.status(500).json(error("internal error: " + e)));
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            stream.close();
            throw new IllegalArgumentException("cannot listen on " + settings.host() + ":" + settings.port() + ": "
                    + rootMessage(e), e);
        }
        return new WebServer(app, stream, settings);
    }

    private static Map<String, String> error(String message) {
        String line = message == null ? "error" : message.replaceAll("[\\r\\n]+", " ");
        return Map.of("error", line);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /** The port it listens on (the chosen one when asked for 0). */
    public int port() {
        return app.port();
    }

    /** The address to open, with the token when one is needed; for a wildcard address, this machine's name. */
    public String url() {
        String host = settings.host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "localhost";
            }
        }
        host = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "http://" + host + ":" + port() + "/" + settings.token().map(t -> "?token=" + t).orElse("");
    }

    /** Where live events go (beside the store) so that browsers see them as they happen. */
    public EventSink liveEvents() {
        return stream.sink();
    }

    /** Tells browsers that a VM's actions changed (started, stopped, degraded). */
    public void actionsChanged(String vm) {
        stream.actionsChanged(vm);
    }

    /** Tells browsers about a control decision with its reason. */
    public void control(String vm, String action, String state, String reason) {
        stream.control(vm, action, state, reason);
    }

    @Override
    public void close() {
        stream.close();
        app.stop();
    }
}
