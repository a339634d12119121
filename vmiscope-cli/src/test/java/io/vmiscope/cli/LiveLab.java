package io.vmiscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmiscope.detect.sigma.RuleLoader;
import io.vmiscope.detect.sigma.SigmaDetector;
import io.vmiscope.events.ActionSpec;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The demo guest watched live as {@code vmiscope demo} runs it (LiveUi, the default Sigma rules live), with the
 * actions the lab's scenarios need beside the demo's own: file and network events and the module-loading
 * syscalls. Read through the web API the demo serves. One per test class; {@link #close()} stops the session and
 * the VM.
 */
final class LiveLab implements AutoCloseable {

    /** The actions of the lab's live runs: the demo's two, plus what the scenarios' rules read. */
    static final List<String> ACTIONS = List.of("pslist:5s", "procevents", "files", "network",
            "syscalls:init_module,finit_module");

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The API's largest page. */
    private static final int PAGE = 1000;

    final QemuVm vm;
    private final TargetOptions.Session session;
    private final LiveUi ui;
    private final Thread runner;
    private final ServerSettings settings;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String vmPath;

    private LiveLab(QemuVm vm, TargetOptions.Session session, LiveUi ui, Thread runner, ServerSettings settings,
                    WebServer server) {
        this.vm = vm;
        this.session = session;
        this.ui = ui;
        this.runner = runner;
        this.settings = settings;
        this.vmPath = "http://127.0.0.1:" + server.port() + "/api/vms/" + URLEncoder.encode(vm.name(),
                StandardCharsets.UTF_8);
    }

    /** Boots a demo guest named {@code prefix-PID} and starts the live UI with detection on it. */
    static LiveLab start(String prefix) throws Exception {
        QemuVm vm = TestGuests.boot(prefix);
        TargetOptions.Session session = TargetOptions.attach(TargetOptions.Resolved.of(vm, TestGuests.image().kernel()));
        Path db = Files.createTempDirectory(prefix).resolve("live.duckdb");
        ServerSettings settings = ServerSettings.withToken("127.0.0.1", 0);
        // no budget to speak of: the scenarios are about detection, not the controller
        LiveUi ui = new LiveUi(settings, db.resolveSibling("no-model.json"), Budget.MOST,
                ACTIONS.stream().map(ActionSpec::parse).toList(),
                Optional.of(new SigmaDetector(RuleLoader.load(List.of(), true, Set.of()))));
        CompletableFuture<WebServer> listening = new CompletableFuture<>();
        Thread runner = new Thread(() -> {
            try {
                ui.run(session.target(), db, event -> { }, listening::complete);
            } catch (RuntimeException e) {
                listening.completeExceptionally(e);
            }
        }, prefix + "-monitor");
        runner.start();
        return new LiveLab(vm, session, ui, runner, settings, listening.get(3, TimeUnit.MINUTES));
    }

    /** Every alert stored so far, page by page as the API serves them. */
    List<JsonNode> alerts() throws Exception {
        List<JsonNode> all = new ArrayList<>();
        while (true) {
            JsonNode page = JSON.readTree(get(vmPath + "/events?kind=alert&limit=" + PAGE + "&offset=" + all.size()));
            page.get("items").forEach(all::add);
            if (page.get("items").size() < PAGE || all.size() >= page.get("total").asLong()) {
                return all;
            }
        }
    }

    /** The stored event of this id, as the API returns it. */
    JsonNode event(String id) throws Exception {
        return JSON.readTree(get(vmPath + "/events/" + URLEncoder.encode(id, StandardCharsets.UTF_8)));
    }

    /** The rule ids of an alert list, for messages. */
    static List<String> ruleIds(List<JsonNode> alerts) {
        return alerts.stream().map(a -> a.get("fields").get("rule_id").asText()).toList();
    }

    static Stream<JsonNode> ofRule(List<JsonNode> alerts, String ruleId) {
        return alerts.stream().filter(a -> a.get("fields").get("rule_id").asText().equals(ruleId));
    }

    private String get(String uri) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri))
                .header("Authorization", "Bearer " + settings.token().orElseThrow()).build();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new AssertionError(uri + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer.body();
    }

    @Override
    public void close() throws InterruptedException {
        ui.end();
        runner.join(TimeUnit.SECONDS.toMillis(30));
        session.close();
        boolean running = vm.qmp().isRunning();
        vm.stop();
        if (!running) {
            throw new AssertionError("the VM was left stopped when the session ended");
        }
    }
}
