package io.vmiscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmiscope.events.ActionSpec;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.overhead.budget.Budget;
import io.vmiscope.web.ServerSettings;
import io.vmiscope.web.WebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

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
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The slowdown the UI shows against the slowdown a service's clients feel, on the demo guest: a client
 * requests the guest's CGI page in a closed loop with a think time (as a user or a health checker would), its
 * request rate unmonitored is the baseline, and {@code syscalls:file} is started through the browser's API.
 * The estimate must be within ±30% of what the client measured, and the controller must act on it when the
 * budget is lowered. One booted guest for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowdownEstimateIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration THINK = Duration.ofMillis(100);

    private QemuVm vm;
    private TargetOptions.Session session;
    private LiveUi ui;
    private Thread runner;
    private WebServer server;
    private ServerSettings settings;
    private Thread client;
    private final AtomicLong requests = new AtomicLong();

    @BeforeAll
    void startTheClientAndTheUi() throws Exception {
        vm = TestGuests.boot("estimate");
        client = new Thread(this::requestInALoop, "estimate-client");
        client.setDaemon(true);
        client.start();
        sleep(Duration.ofSeconds(3));
    }

    @AfterAll
    void stopEverything() throws InterruptedException {
        if (client != null) {
            client.interrupt();
        }
        if (ui != null) {
            ui.end();
            runner.join(TimeUnit.SECONDS.toMillis(30));
        }
        if (session != null) {
            session.close();
        }
        if (vm != null) {
            assertThat(vm.qmp().isRunning()).as("the VM runs when the UI has ended").isTrue();
            vm.stop();
        }
    }

    @Test
    void theEstimateOfABrowserStartedTrace_isWithin30PercentOfTheClientsSlowdown_andTheControllerActsOnIt()
            throws Exception {
        double unmonitored = rateOver(Duration.ofSeconds(20));
        startTheUi();
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.port();
        String vmPath = base + "/api/vms/" + URLEncoder.encode(vm.name(), StandardCharsets.UTF_8);
        String csrf = JSON.readTree(send(http, HttpRequest.newBuilder(URI.create(base + "/api/session")))).get("csrf").asText();
        awaitEstimate(http, vmPath);
        send(http, HttpRequest.newBuilder(URI.create(vmPath + "/actions")).header("X-Vmiscope-Csrf", csrf)
                .POST(HttpRequest.BodyPublishers.ofString("{\"spec\": \"syscalls:file\"}")));
        sleep(Duration.ofSeconds(10));

        List<Double> estimates = new ArrayList<>();
        String basis = "";
        long before = requests.get();
        long start = System.nanoTime();
        for (int i = 0; i < 30; i++) {
            sleep(Duration.ofSeconds(1));
            JsonNode overhead = JSON.readTree(send(http, HttpRequest.newBuilder(URI.create(vmPath + "/overhead"))));
            estimates.add(overhead.get("slowdown").asDouble());
            basis = overhead.get("slowdownBasis").asText();
        }
        double rate = (requests.get() - before) / ((System.nanoTime() - start) / 1e9);
        double measured = unmonitored / rate - 1;
        double estimated = estimates.stream().mapToDouble(Double::doubleValue).sorted().skip(estimates.size() / 2)
                .findFirst().orElseThrow();
        System.out.printf(Locale.ROOT, "[SlowdownEstimateIT] client %.2f req/s unmonitored, %.2f req/s with "
                + "procevents, pslist:5s and syscalls:file: measured slowdown %.1f%%, estimated (median of %d) %.1f%% "
                + "(%s); all estimates %s%n", unmonitored, rate, 100 * measured, estimates.size(), 100 * estimated,
                basis, estimates);

        assertThat(basis).contains("probe: guest CPUs idle");
        assertThat(Math.abs(estimated - measured) / measured).as("relative error of the estimate").isLessThanOrEqualTo(0.30);

        send(http, HttpRequest.newBuilder(URI.create(vmPath + "/budget")).header("X-Vmiscope-Csrf", csrf)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"maxSlowdown\": " + measured / 4 + "}")));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean degraded = false;
        while (!degraded && System.nanoTime() < deadline) {
            sleep(Duration.ofSeconds(1));
            for (JsonNode e : JSON.readTree(send(http, HttpRequest.newBuilder(URI.create(vmPath
                    + "/events?kind=control&name=degraded&limit=500")))).get("items")) {
                degraded |= e.get("action").asText().equals("syscalls:file");
            }
        }
        assertThat(degraded).as("syscalls:file degraded once the budget is a quarter of its slowdown").isTrue();
    }

    private void startTheUi() throws Exception {
        session = TargetOptions.attach(TargetOptions.Resolved.of(vm, TestGuests.image().kernel()));
        Path db = Files.createTempDirectory("estimate").resolve("live.duckdb");
        settings = ServerSettings.withToken("127.0.0.1", 0);
        // no budget to speak of while measuring: the estimate is checked, not the controller (that comes after)
        ui = new LiveUi(settings, db.resolveSibling("no-model.json"), Budget.MOST,
                List.of(ActionSpec.parse("pslist:5s"), ActionSpec.parse("procevents")), Optional.empty());
        CompletableFuture<WebServer> listening = new CompletableFuture<>();
        runner = new Thread(() -> {
            try {
                ui.run(session.target(), db, event -> { }, listening::complete);
            } catch (RuntimeException e) {
                listening.completeExceptionally(e);
            }
        }, "estimate-monitor");
        runner.start();
        server = listening.get(2, TimeUnit.MINUTES);
    }

    /** Waits until the controller has its first estimate (the probe's baseline, then the defaults' first interval). */
    private void awaitEstimate(HttpClient http, String vmPath) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!JSON.readTree(send(http, HttpRequest.newBuilder(URI.create(vmPath + "/overhead")))).get("slowdown").isNull()) {
                sleep(Duration.ofSeconds(5));
                return;
            }
            sleep(Duration.ofMillis(500));
        }
        throw new AssertionError("no slowdown estimate within 30 s");
    }

    private double rateOver(Duration window) {
        long before = requests.get();
        long start = System.nanoTime();
        sleep(window);
        return (requests.get() - before) / ((System.nanoTime() - start) / 1e9);
    }

    private void requestInALoop() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        URI page = URI.create("http://127.0.0.1:" + vm.httpPort() + "/cgi-bin/status");
        while (!Thread.currentThread().isInterrupted()) {
            try {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(page).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    requests.incrementAndGet();
                }
                Thread.sleep(THINK.toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                sleep(THINK); // a refused or timed-out request: try again, uncounted
            }
        }
    }

    private String send(HttpClient http, HttpRequest.Builder request) throws Exception {
        request.header("Authorization", "Bearer " + settings.token().orElseThrow());
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
