package io.vmiscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmiscope.detect.Detector;
import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.AlertEvent;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.overhead.budget.Budget;
import io.vmiscope.web.ServerSettings;
import io.vmiscope.web.WebServer;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's live session with its browser UI on a booted guest, as {@code vmiscope demo} wires it (LiveUi), on a
 * store of its own, and its JSON API with the server's token: what the live tests drive. Closing ends the session
 * and detaches; the caller stops the VM.
 */
final class LiveDemo implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    /** The API's largest page. */
    private static final int PAGE = 1000;

    private final QemuVm vm;
    private final TargetOptions.Session session;
    private final LiveUi ui;
    private final Thread runner;
    private final WebServer server;
    private final ServerSettings settings;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String csrf;
    private final Path db;

    private LiveDemo(QemuVm vm, Budget budget, List<ActionSpec> defaults, Optional<Detector> detector) throws Exception {
        this.vm = vm;
        this.session = TargetOptions.attach(TargetOptions.Resolved.of(vm, TestGuests.image().kernel()));
        this.db = Files.createTempDirectory("live-demo").resolve("live.duckdb");
        this.settings = ServerSettings.withToken("127.0.0.1", 0);
        this.ui = new LiveUi(settings, db.resolveSibling("no-model.json"), budget, defaults, detector);
        CompletableFuture<WebServer> listening = new CompletableFuture<>();
        this.runner = new Thread(() -> {
            try {
                ui.run(session.target(), db, event -> { }, listening::complete);
            } catch (RuntimeException e) {
                listening.completeExceptionally(e);
            }
        }, "live-demo-monitor");
        runner.start();
        this.server = listening.get(2, TimeUnit.MINUTES);
        this.csrf = json("/api/session").get("csrf").asText();
        awaitRunning(defaults);
    }

    /**
     * Until the API lists every default action as running: the session calls itself ready after a bounded wait,
     * and a step the tests send before an action's hooks are armed would go unseen.
     */
    private void awaitRunning(List<ActionSpec> defaults) throws Exception {
        List<String> wanted = defaults.stream().map(ActionSpec::toString).toList();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!runningActions().containsAll(wanted)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the defaults " + wanted + " did not run within a minute; running: "
                        + runningActions());
            }
            Thread.sleep(200);
        }
    }

    /** The ids of the actions the API lists as running. */
    List<String> runningActions() throws Exception {
        List<String> ids = new ArrayList<>();
        json(vmPath() + "/actions").get("running").forEach(a -> ids.add(a.get("id").asText()));
        return ids;
    }

    /** Every alert stored so far, page by page as the API serves them. */
    List<JsonNode> alerts() throws Exception {
        return events("alert");
    }

    /** Every stored event of this kind so far, page by page as the API serves them. */
    List<JsonNode> events(String kind) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        while (true) {
            JsonNode page = json(vmPath() + "/events?kind=" + kind + "&limit=" + PAGE + "&offset=" + all.size());
            page.get("items").forEach(all::add);
            if (page.get("items").size() < PAGE || all.size() >= page.get("total").asLong()) {
                return all;
            }
        }
    }

    /**
     * The first stored alert that {@code which} accepts, within {@code within}; else an assertion error naming the
     * alerts there are and the actions that run (what a reader of a failed run needs first).
     */
    JsonNode awaitAlert(Predicate<JsonNode> which, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            List<JsonNode> alerts = alerts();
            Optional<JsonNode> found = alerts.stream().filter(which).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no such alert within " + within.toSeconds() + " s; alerts of rules "
                        + alerts.stream().map(a -> a.get("fields").get("rule_id").asText()).toList()
                        + "; running " + runningActions());
            }
            Thread.sleep(200);
        }
    }

    /** How many of {@code alerts} each level has, every level listed (0 when none). */
    static Map<String, Long> perLevel(List<JsonNode> alerts) {
        Map<String, Long> perLevel = new TreeMap<>();
        for (AlertEvent.Level level : AlertEvent.Level.values()) {
            perLevel.put(level.label(), 0L);
        }
        alerts.forEach(a -> perLevel.merge(a.get("fields").get("level").asText(), 1L, Long::sum));
        return perLevel;
    }

    /** Accepts the alerts of level medium or higher (what a benign run must not raise). */
    static boolean mediumOrHigher(JsonNode alert) {
        return AlertEvent.Level.of(alert.get("fields").get("level").asText()).compareTo(AlertEvent.Level.MEDIUM) >= 0;
    }

    /** Accepts the alerts of one rule (its {@code rule_id}). */
    static Predicate<JsonNode> ofRule(String ruleId) {
        return alert -> alert.get("fields").get("rule_id").asText().equals(ruleId);
    }

    /** Attaches to {@code vm} and runs the live session with its UI until closed; returns once the UI listens. */
    static LiveDemo start(QemuVm vm, Budget budget, List<ActionSpec> defaults, Optional<Detector> detector)
            throws Exception {
        return new LiveDemo(vm, budget, defaults, detector);
    }

    WebServer server() {
        return server;
    }

    /** The session's store file (read it once the session is closed). */
    Path db() {
        return db;
    }

    /** {@code /api/vms/NAME} of the VM. */
    String vmPath() {
        return "/api/vms/" + URLEncoder.encode(vm.name(), StandardCharsets.UTF_8);
    }

    /** GET of a path of the API (e.g. {@code /api/session}), as JSON; 200 expected. */
    JsonNode json(String path) throws Exception {
        return JSON.readTree(send(HttpRequest.newBuilder(uri(path))));
    }

    /** A write (PUT, POST, DELETE) with the CSRF header; 200 expected. */
    JsonNode write(String path, String method, String body) throws Exception {
        return JSON.readTree(send(HttpRequest.newBuilder(uri(path)).header("X-Vmiscope-Csrf", csrf)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))));
    }

    /** The same, whatever the answer's status (e.g. a DELETE of what may have stopped already). */
    int writeAnyStatus(String path, String method) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("X-Vmiscope-Csrf", csrf)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + settings.token().orElseThrow());
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Sets the VM's budget, as the Overhead view does. */
    void budget(double maxSlowdown) throws Exception {
        write(vmPath() + "/budget", "PUT", "{\"maxSlowdown\": " + maxSlowdown + "}");
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private String send(HttpRequest.Builder request) throws Exception {
        request.header("Authorization", "Bearer " + settings.token().orElseThrow());
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }

    @Override
    public void close() throws InterruptedException {
        ui.end();
        runner.join(TimeUnit.SECONDS.toMillis(30));
        session.close();
        assertThat(vm.qmp().isRunning()).as("the VM runs when the session has ended").isTrue();
    }
}
