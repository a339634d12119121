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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Detection live, as the demo runs it: the default Sigma rules see what the monitor reports, an alert is stored
 * and streamed with evidence that resolves to stored events, and the follow-up its rule asks for runs under the
 * session's budget controller (FollowUpDecisionTest covers the degraded and refused forms). One booted guest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveDetectionIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** kernel_module_tool.yml: insmod or modprobe run; follow-up: module snapshots for 30 s. */
    private static final String MODULE_TOOL_RULE = "43cdebd7-825f-5db9-9e57-c3b07a58d649";

    private QemuVm vm;
    private TargetOptions.Session session;
    private LiveUi ui;
    private Thread runner;
    private WebServer server;
    private ServerSettings settings;
    private HttpClient http;
    private String vmPath;
    private String csrf;

    @BeforeAll
    void startTheDemoWithDetection() throws Exception {
        vm = TestGuests.boot("detect");
        session = TargetOptions.attach(TargetOptions.Resolved.of(vm, TestGuests.image().kernel()));
        Path db = Files.createTempDirectory("detect").resolve("live.duckdb");
        settings = ServerSettings.withToken("127.0.0.1", 0);
        ui = new LiveUi(settings, db.resolveSibling("no-model.json"), Budget.MOST,
                List.of(ActionSpec.parse("pslist:5s"), ActionSpec.parse("procevents")),
                Optional.of(new SigmaDetector(RuleLoader.load(List.of(), true, Set.of()))));
        CompletableFuture<WebServer> listening = new CompletableFuture<>();
        runner = new Thread(() -> {
            try {
                ui.run(session.target(), db, event -> { }, listening::complete);
            } catch (RuntimeException e) {
                listening.completeExceptionally(e);
            }
        }, "detect-monitor");
        runner.start();
        server = listening.get(2, TimeUnit.MINUTES);
        http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.port();
        vmPath = base + "/api/vms/" + URLEncoder.encode(vm.name(), StandardCharsets.UTF_8);
        csrf = JSON.readTree(get(base + "/api/session")).get("csrf").asText();
    }

    @AfterAll
    void stopEverything() throws InterruptedException {
        if (ui != null) {
            ui.end();
            runner.join(TimeUnit.SECONDS.toMillis(30));
        }
        if (session != null) {
            session.close();
        }
        if (vm != null) {
            assertThat(vm.qmp().isRunning()).as("the VM runs when the session has ended").isTrue();
            vm.stop();
        }
    }

    @Test
    @Order(1)
    void aModuleInserted_raisesItsAlert_withStoredEvidence_andItsFollowUpRunsWithinTheBudget() throws Exception {
        long step = System.nanoTime();
        insertAModule();

        JsonNode alert = awaitAlert(MODULE_TOOL_RULE, 0);
        System.out.printf("[LiveDetectionIT] alert %.1f s after the step: %s%n", (System.nanoTime() - step) / 1e9,
                alert.get("fields"));
        assertThat(alert.get("fields").get("techniques").toString()).contains("T1547.006");
        for (JsonNode evidence : alert.get("fields").get("evidence")) {
            JsonNode event = JSON.readTree(get(vmPath + "/events/" + evidence.asText()));
            assertThat(event.get("kind").asText()).as("evidence %s", evidence).isEqualTo("exec");
        }
        assertThat(alert.get("fields").get("follow_up").asText())
                .startsWith("modules:5s for 30 s on the VM: runs as asked, predicted ");
        assertThat(controlEvents("planned")).anySatisfy(c -> {
            assertThat(c.get("action").asText()).isEqualTo("modules:5s");
            assertThat(c.get("fields").get("reason").asText()).startsWith("follow-up of alert '");
        });
    }

    private void insertAModule() {
        String module = vm.console().run("find /lib/modules -name dummy.ko | head -1", Duration.ofSeconds(20))
                .output().strip();
        assertThat(module).endsWith("dummy.ko");
        // by its path: busybox's shell runs a bare applet name in its own process, without an exec to see
        vm.console().run("$(which insmod) " + module, Duration.ofSeconds(20));
    }

    /** The alert of {@code rule} after the first {@code seen} ones, within 10 s (the goal, under TCG). */
    private JsonNode awaitAlert(String rule, int seen) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            int n = 0;
            for (JsonNode e : JSON.readTree(get(vmPath + "/events?kind=alert&limit=500")).get("items")) {
                if (e.get("fields").get("rule_id").asText().equals(rule) && n++ == seen) {
                    return e;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no alert of rule " + rule + " within 10 s; alerts: "
                + JSON.readTree(get(vmPath + "/events?kind=alert&limit=500")).get("items"));
    }

    private List<JsonNode> controlEvents(String change) throws Exception {
        List<JsonNode> all = new java.util.ArrayList<>();
        JSON.readTree(get(vmPath + "/events?kind=control&name=" + change + "&limit=500")).get("items").forEach(all::add);
        return all;
    }

    private String get(String uri) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(uri)));
    }

    private String send(HttpRequest.Builder request) throws Exception {
        request.header("Authorization", "Bearer " + settings.token().orElseThrow());
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }
}
