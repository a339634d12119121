package io.vmiscope.web;

import io.vmiscope.events.ActionSpec;
import com.fasterxml.jackson.databind.JsonNode;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.testkit.OtherUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON API against a real server over a real DuckDB file (a Linux lab VM and an imported DRAKVUF log). */
class WebApiTest {

    @TempDir
    static Path dir;

    private static final RecordingLiveVm LIVE = new RecordingLiveVm();
    private static LabServer lab;
    private static WebServer server;
    private static Http http;

    @BeforeAll
    static void serve() {
        lab = LabServer.start(dir, LIVE);
        server = lab.server();
        http = lab.http();
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    private static String csrf() {
        return http.get("/api/session").json().get("csrf").asText();
    }

    private static JsonNode process(String vm, String name) {
        JsonNode tree = http.get("/api/vms/" + vm + "/tree").json();
        return StreamSupport.stream(tree.get("processes").spliterator(), false)
                .filter(p -> p.get("name").asText().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name + " in " + tree));
    }

    @Test
    void vms_listTheLiveVmFirst_andTheImportedOne() {
        JsonNode vms = http.get("/api/vms").json();
        assertThat(vms).hasSize(2);
        assertThat(vms.get(0).get("vm").asText()).isEqualTo(TestStores.LINUX);
        assertThat(vms.get(0).get("live").asBoolean()).isTrue();
        assertThat(vms.get(0).get("budget").asDouble()).isEqualTo(0.10);
        assertThat(vms.get(1).get("vm").asText()).isEqualTo(TestStores.WINDOWS);
        assertThat(vms.get(1).get("status").asText()).isEqualTo("imported");
        assertThat(vms.get(1).get("events").asLong()).isGreaterThan(10);
    }

    @Test
    void tree_holdsTheKnownProcesses_withHostileNamesAsTheyAre() {
        JsonNode httpd = process(TestStores.LINUX, "httpd");
        assertThat(httpd.get("commandLine").asText()).isEqualTo("httpd -p 80");
        assertThat(httpd.get("lifetime").asText()).isEqualTo("STARTED_STILL_RUNNING");
        assertThat(httpd.get("key").asText()).isEqualTo("120@" + httpd.get("startNanos").asLong());
        JsonNode html = process(TestStores.LINUX, TestStores.HTML_NAME);
        assertThat(html.get("commandLine").asText()).contains(TestStores.HTML_NAME);
        assertThat(html.get("lifetime").asText()).isEqualTo("STARTED_AND_ENDED");
        assertThat(process(TestStores.LINUX, TestStores.CONTROL_NAME).get("exitCode").asInt()).isEqualTo(1);
        assertThat(process(TestStores.WINDOWS, "explorer.exe").get("pid").asInt()).isEqualTo(1980);
    }

    @Test
    void treeAtATime_showsOnlyWhatWasAlive() {
        JsonNode html = process(TestStores.LINUX, TestStores.HTML_NAME);
        long after = html.get("endNanos").asLong() + 1;
        JsonNode tree = http.get("/api/vms/" + TestStores.LINUX + "/tree?at=" + after).json();
        assertThat(tree.get("processes").findValuesAsText("name")).contains("httpd")
                .doesNotContain(TestStores.HTML_NAME);
    }

    @Test
    void processEvents_arePagedAndFiltered() {
        String key = process(TestStores.LINUX, "httpd").get("key").asText();
        JsonNode page = http.get("/api/vms/" + TestStores.LINUX + "/processes/" + key + "/events?limit=10&kind=file").json();
        assertThat(page.get("total").asLong()).isEqualTo(41);
        assertThat(page.get("items")).hasSize(10);
        assertThat(page.get("items").get(0).get("fields").get("path").asText()).startsWith("/www/page");
        JsonNode text = http.get("/api/vms/" + TestStores.LINUX + "/processes/" + key + "/events?text=HTTPD.LOG").json();
        assertThat(text.get("total").asLong()).isEqualTo(1);
    }

    @Test
    void graph_isBoundedAndGrouped() {
        String key = process(TestStores.LINUX, "httpd").get("key").asText();
        JsonNode graph = http.get("/api/vms/" + TestStores.LINUX + "/processes/" + key + "/graph?top=3").json();
        assertThat(graph.get("files").get("top")).hasSize(3);
        assertThat(graph.get("files").get("total").asLong()).isEqualTo(13);
        assertThat(graph.get("files").get("groups").get(0).get("more").asLong()).isGreaterThan(0);
        assertThat(graph.get("endpoints").get("top")).hasSize(3);
    }

    @Test
    void timeline_hasALanePerActiveProcess() {
        JsonNode t = http.get("/api/vms/" + TestStores.LINUX + "/timeline?buckets=20&lanes=2").json();
        assertThat(t.get("lanes")).hasSize(3);
        assertThat(t.get("lanes").get(2).get("name").asText()).isEqualTo("other processes");
        assertThat(t.get("processes").asInt()).isGreaterThanOrEqualTo(4);
        long sum = 0;
        for (JsonNode lane : t.get("lanes")) {
            for (JsonNode cell : lane.get("cells")) {
                sum += cell.get(1).asLong();
            }
        }
        assertThat(sum).isEqualTo(http.get("/api/vms/" + TestStores.LINUX + "/events?limit=1").json().get("total").asLong());
    }

    @Test
    void events_filterByPidKindAndText_andAnImportedEventKeepsItsOriginal() {
        JsonNode byPid = http.get("/api/vms/" + TestStores.LINUX + "/events?pid=120&kind=network&limit=5").json();
        assertThat(byPid.get("total").asLong()).isEqualTo(40);
        JsonNode windows = http.get("/api/vms/" + TestStores.WINDOWS + "/events?text=powershell&limit=1").json();
        String id = windows.get("items").get(0).get("id").asText();
        JsonNode detail = http.get("/api/vms/" + TestStores.WINDOWS + "/events/" + id).json();
        assertThat(detail.get("original").asText()).contains("powershell");
        assertThat(detail.get("vm").asText()).isEqualTo(TestStores.WINDOWS);
    }

    @Test
    void badInput_getsOneLineErrors() {
        assertThat(http.get("/api/vms/nope/tree").status()).isEqualTo(404);
        Http.Response limit = http.get("/api/vms/" + TestStores.LINUX + "/events?limit=99999");
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.json().get("error").asText()).isEqualTo("'limit' must be 1 to 1000, not 99999");
        assertThat(http.get("/api/vms/" + TestStores.LINUX + "/events?from=yesterday").json().get("error").asText())
                .contains("'from' must be a whole number");
        assertThat(http.get("/api/vms/" + TestStores.LINUX + "/processes/abc/events").status()).isEqualTo(400);
        assertThat(http.get("/api/vms/" + TestStores.LINUX + "/processes/9@9/events").status()).isEqualTo(404);
        assertThat(http.get("/api/vms/" + TestStores.LINUX + "/events/" + "x".repeat(10)).status()).isEqualTo(404);
        String sqlish = URLEncoder.encode("' OR 1=1 --", StandardCharsets.UTF_8);
        assertThat(http.get("/api/vms/" + TestStores.LINUX + "/events?text=" + sqlish).json().get("total").asLong()).isZero();
    }

    @Test
    void changes_needTheCsrfValue_andTheServersOwnOrigin() {
        String body = "{\"actions\":[\"procevents\"],\"vm\":\"" + TestStores.LINUX + "\"}";
        assertThat(http.send("POST", "/api/overhead/predict", body).status()).isEqualTo(403);
        assertThat(http.send("POST", "/api/overhead/predict", body, AccessGuard.CSRF_HEADER, "guess").status()).isEqualTo(403);
        assertThat(http.send("POST", "/api/overhead/predict", body, AccessGuard.CSRF_HEADER, csrf(),
                "Origin", "http://evil.example").status()).isEqualTo(403);
        Http.Response ok = http.send("POST", "/api/overhead/predict", body, AccessGuard.CSRF_HEADER, csrf());
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().get("slowdown").asDouble()).isEqualTo(0.02);
        assertThat(ok.json().get("fits").asBoolean()).isTrue();
    }

    @Test
    void onDemandActions_previewStartAndStop_onlyOnALiveVm() {
        String c = csrf();
        JsonNode preview = http.send("POST", "/api/vms/" + TestStores.LINUX + "/actions/preview",
                "{\"template\":\"trace-process\",\"pid\":120}", AccessGuard.CSRF_HEADER, c).json();
        assertThat(preview.get("fits").asBoolean()).isFalse();
        assertThat(preview.get("requested").get("high").asDouble()).isEqualTo(0.35);
        assertThat(preview.get("variants").get(0).get("spec").asText()).isEqualTo("syscalls:file[pid=120]");
        Http.Response started = http.send("POST", "/api/vms/" + TestStores.LINUX + "/actions",
                "{\"spec\":\"syscalls:file[pid=120]\"}", AccessGuard.CSRF_HEADER, c);
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        assertThat(LIVE.started).contains("syscalls:file[pid=120]");
        assertThat(http.send("DELETE", "/api/vms/" + TestStores.LINUX + "/actions/"
                + URLEncoder.encode("syscalls:file[pid=120]", StandardCharsets.UTF_8), null, AccessGuard.CSRF_HEADER, c)
                .status()).isEqualTo(200);
        assertThat(LIVE.stopped).contains("syscalls:file[pid=120]");
        assertThat(http.send("POST", "/api/vms/" + TestStores.LINUX + "/actions", "{\"spec\":\"bad\"}",
                AccessGuard.CSRF_HEADER, c).json().get("error").asText()).isEqualTo("unknown action 'bad'; known: " + ActionSpec.HELP);
        assertThat(http.send("POST", "/api/vms/" + TestStores.WINDOWS + "/actions", "{\"spec\":\"procevents\"}",
                AccessGuard.CSRF_HEADER, c).status()).isEqualTo(409);
        assertThat(http.send("POST", "/api/vms/" + TestStores.LINUX + "/actions", "not json", AccessGuard.CSRF_HEADER, c)
                .status()).isEqualTo(400);
    }

    @Test
    void budget_isSetOnALiveVm_andChecked() {
        String c = csrf();
        assertThat(http.send("PUT", "/api/vms/" + TestStores.LINUX + "/budget", "{\"maxSlowdown\":-1}",
                AccessGuard.CSRF_HEADER, c).status()).isEqualTo(400);
        JsonNode set = http.send("PUT", "/api/vms/" + TestStores.LINUX + "/budget", "{\"maxSlowdown\":0.05}",
                AccessGuard.CSRF_HEADER, c).json();
        assertThat(set.get("budget").asDouble()).isEqualTo(0.05);
        http.send("PUT", "/api/vms/" + TestStores.LINUX + "/budget", "{\"maxSlowdown\":0.10}", AccessGuard.CSRF_HEADER, c);
    }

    @Test
    void aRequestAddressedToAnotherHost_isRefused() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /api/vms HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertThat(status).contains("403");
        }
    }

    @Test
    void onLoopback_everyRequestNeedsTheToken_andThePrintedUrlSetsItAsAnHttpOnlyCookieForThisPort() {
        try (WebServer guarded = WebServer.start(new ServerSettings("127.0.0.1", 0, Optional.of("s3cret")), lab.store(), lab.analysis(),
                () -> List.of(), dir.resolve("no-model.json"))) {
            Http h = new Http(guarded.port());
            assertThat(guarded.url()).isEqualTo("http://127.0.0.1:" + guarded.port() + "/?token=s3cret");
            Http.Response refused = h.get("/api/vms");
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.headers().get("www-authenticate")).containsExactly("Bearer realm=\"vmiscope\"");
            assertThat(refused.json().get("error").asText()).contains("needs its access token");
            assertThat(h.get("/").status()).isEqualTo(401);
            assertThat(h.get("/api/vms", "Authorization", "Bearer wrong").status()).isEqualTo(401);
            assertThat(h.get("/?token=wrong").status()).isEqualTo(401);
            assertThat(h.get("/api/vms", "Authorization", "Bearer s3cret").status()).isEqualTo(200);
            Http.Response first = h.get("/?token=s3cret");
            assertThat(first.status()).isEqualTo(200);
            String cookie = first.headers().get("set-cookie").get(0);
            assertThat(cookie).startsWith("vmiscope_token_" + guarded.port() + "=s3cret;")
                    .containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict");
            assertThat(h.get("/api/vms", "Cookie", cookie.substring(0, cookie.indexOf(';'))).status()).isEqualTo(200);
            assertThat(h.get("/api/vms", "Cookie", "vmiscope_token_1=s3cret").status())
                    .as("another port's cookie").isEqualTo(401);
        }
    }

    @Test
    void everyRoute_withoutTheToken_is401_alsoForAnotherLocalUser_andWorksForTheOwner() throws IOException {
        List<String> requests = documentedRequests();
        String base = "http://127.0.0.1:" + server.port();
        Http anonymous = new Http(server.port());
        for (String request : requests) {
            String[] methodPath = request.split(" ", 2);
            assertThat(anonymous.send(methodPath[0], methodPath[1], null).status()).as(request).isEqualTo(401);
        }
        List<String> probes = requests.stream().map(r -> r.replaceFirst(" ", " " + base)).toList();

        Map<String, String> asNobody = OtherUser.probe(probes);

        assertThat(asNobody).hasSize(probes.size()).allSatisfy((probe, status) -> assertThat(status).as(probe)
                .isEqualTo("401"));
        for (String request : requests) {
            String[] methodPath = request.split(" ", 2);
            if (methodPath[0].equals("GET") && !methodPath[1].equals("/api/stream")) {
                assertThat(http.get(methodPath[1]).status()).as("the owner's " + request).isNotIn(401, 403);
            }
        }
    }

    /** Every method and route of openapi.yaml with its parameters filled in, and the app's page. */
    private static List<String> documentedRequests() throws IOException {
        List<String> requests = new ArrayList<>(List.of("GET /", "GET /app.js"));
        String path = null;
        for (String line : Files.readAllLines(Path.of("src", "main", "resources", "web", "openapi.yaml"))) {
            Matcher route = Pattern.compile("^  (/api/\\S+):$").matcher(line);
            Matcher method = Pattern.compile("^    (get|post|put|delete):$").matcher(line);
            if (route.matches()) {
                path = route.group(1).replace("{vm}", TestStores.LINUX).replace("{key}", "120@1").replace("{id}", "x");
            } else if (method.matches() && path != null) {
                requests.add(method.group(1).toUpperCase(Locale.ROOT) + " " + path);
            }
        }
        assertThat(requests).hasSizeGreaterThan(15);
        return requests;
    }

    @Test
    void aServerBoundToAnotherLoopbackAddress_answersTheUrlItPrints_andStillRefusesOtherHosts() throws IOException {
        try (WebServer other = WebServer.start(ServerSettings.withToken("127.0.0.2", 0), lab.store(), lab.analysis(),
                () -> List.of(), dir.resolve("no-model.json"))) {
            assertThat(other.url()).startsWith("http://127.0.0.2:" + other.port() + "/?token=");
            HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(other.url())));
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            assertThat(page.body()).contains("<html");
            try (Socket socket = new Socket("127.0.0.2", other.port())) {
                socket.getOutputStream().write(("GET /api/vms HTTP/1.1\r\nHost: attacker.example:" + other.port()
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                assertThat(new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine()).contains("403");
            }
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void liveEvents_reachTheBrowsersThatFollowTheirVm() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest follow = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/stream?vm="
                + TestStores.LINUX)).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + lab.settings().token().orElseThrow()).build();
        HttpResponse<java.io.InputStream> stream = client.send(follow, HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).isEqualTo("event: hello");
        server.liveEvents().accept(new ExecEvent(TestStores.START + 5_000_000_000L, "other-vm", "procevents",
                new ProcessRef(7, 7, 1, 0, "elsewhere"), "/bin/x", List.of("x"), true));
        server.liveEvents().accept(new ExecEvent(TestStores.START + 5_000_000_000L, TestStores.LINUX, "procevents",
                new ProcessRef(777, 777, 100, 0, "newcomer"), "/bin/newcomer", List.of("newcomer"), true));
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String line;
        while (System.nanoTime() < deadline && (line = lines.readLine()) != null) {
            seen.add(line);
            if (line.contains("newcomer")) {
                break;
            }
        }
        assertThat(String.join("\n", seen)).contains("event: event").contains("\"process\":\"newcomer\"")
                .doesNotContain("elsewhere");
        stream.body().close();
    }

    @Test
    void theOpenApiDocument_namesEveryRoute_andNoOther() throws IOException {
        Set<String> routes = new TreeSet<>();
        Pattern route = Pattern.compile("routes\\.(?:get|post|put|delete|sse)\\(\"(/api/[^\"]+)\"");
        try (var sources = Files.walk(Path.of("src", "main", "java", "io", "vmiscope", "web"))) {
            for (Path source : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = route.matcher(Files.readString(source));
                while (m.find()) {
                    routes.add(m.group(1));
                }
            }
        }
        routes.remove("/api/docs");
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^  (/api/\\S+):$").matcher(Files.readString(
                Path.of("src", "main", "resources", "web", "openapi.yaml")));
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertThat(routes).hasSizeGreaterThan(10);
        assertThat(documented).isEqualTo(routes);
    }

    @Test
    void events_carryTheNameSummaryAndProcessATableShows_forEveryImportedRecord() {
        JsonNode page = http.get("/api/vms/" + TestStores.WINDOWS + "/events?limit=1000").json();
        assertThat(page.get("items")).isNotEmpty().allSatisfy(e -> {
            assertThat(e.get("label").asText()).as(e.toString()).isNotBlank();
            assertThat(e.get("summary").asText()).as(e.toString()).isNotBlank().doesNotContain("tool=");
        });
        JsonNode dll = StreamSupport.stream(page.get("items").spliterator(), false)
                .filter(e -> e.get("label").asText().equals("dll_loaded")).findFirst().orElseThrow();
        assertThat(dll.get("summary").asText()).isEqualTo("\\Windows\\System32\\amsi.dll at 0x7ffb10000000");
        assertThat(dll.get("processName").asText()).isEqualTo("powershell.exe");
        assertThat(dll.get("processPath").asText()).isEqualTo("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe");
    }

    @Test
    void vmGraph_linksTheImportedProcesses_toTheFilesKeysAndHostsTheyTouched() {
        JsonNode graph = http.get("/api/vms/" + TestStores.WINDOWS + "/graph").json();
        List<String> names = new ArrayList<>();
        graph.get("processes").forEach(p -> names.add(p.get("name").asText() + " " + p.get("parent").asText()));
        assertThat(names).contains("powershell.exe " + process(TestStores.WINDOWS, "cmd.exe").get("key").asText());
        List<String> groups = new ArrayList<>();
        graph.get("resources").forEach(r -> groups.add(r.get("kind").asText() + " " + r.get("group").asText()));
        assertThat(groups).contains("host c2.example.net", "host 203.0.113.7",
                "file \\??\\C:\\Users\\x\\AppData\\Roaming\\",
                "registry \\REGISTRY\\USER\\S-1-5-21\\Software\\Microsoft\\Windows\\CurrentVersion\\");
        assertThat(graph.get("links")).isNotEmpty().allSatisfy(l ->
                assertThat(l.get("resource").asInt()).isBetween(0, graph.get("resources").size() - 1));
        assertThat(http.get("/api/vms/" + TestStores.WINDOWS + "/graph?processes=0").status()).isEqualTo(400);
        assertThat(http.get("/api/vms/nope/graph").status()).isEqualTo(404);
    }
}
