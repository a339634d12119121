package io.vmiscope.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmiscope.analysis.Analysis;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.SyscallEvent;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.StoreOptions;
import io.vmiscope.session.live.LiveVms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/vms/VM/timeline} at the extremes of {@code long}, over a real DuckDB file whose events sit at
 * the first instant a {@code long} holds, the epoch and the last one: every from/to pair is a 200 with sane
 * buckets, or a 400 saying why — never a 500.
 */
class TimelineRouteTest {

    private static final String VM = "edges";
    private static final String MIN = Long.toString(Long.MIN_VALUE);
    private static final String MAX = Long.toString(Long.MAX_VALUE);

    @TempDir
    static Path dir;

    private static DuckDbEventStore store;
    private static Analysis analysis;
    private static WebServer server;
    private static Http http;

    @BeforeAll
    static void serve() {
        store = DuckDbEventStore.open(dir.resolve("edges.duckdb"), StoreOptions.defaults());
        ProcessRef shell = new ProcessRef(100, 100, 1, 0, "sh");
        for (long t : List.of(Long.MIN_VALUE, 0L, Long.MAX_VALUE)) {
            store.accept(new SyscallEvent(t, VM, "syscalls", shell, "getpid", 39, List.of(), "100", "x86_64"));
        }
        store.flush();
        analysis = Analysis.open(store);
        analysis.refresh(VM);
        ServerSettings settings = ServerSettings.withToken("127.0.0.1", 0);
        server = WebServer.start(settings, store, analysis, LiveVms.NONE, dir.resolve("no-model.json"));
        http = new Http(server.port(), settings.token());
    }

    @AfterAll
    static void stop() {
        server.close();
        analysis.close();
        store.close();
    }

    private static Http.Response timeline(String query) {
        return http.get("/api/vms/" + VM + "/timeline" + query);
    }

    /** The events the timeline counts, over every lane. */
    private static long events(JsonNode timeline) {
        long sum = 0;
        for (JsonNode lane : timeline.get("lanes")) {
            sum += lane.get("events").asLong();
        }
        return sum;
    }

    @Test
    void theWholeLongRange_andTheDefaultSpan_areTimelinesOfEveryEvent() {
        for (String query : List.of("?from=" + MIN + "&to=" + MAX, "", "?buckets=1", "?from=" + MIN + "&to=" + MAX
                + "&buckets=1", "?from=" + MIN, "?to=" + MAX + "&buckets=2000")) {
            Http.Response r = timeline(query);

            assertThat(r.status()).as(query + ": " + r.body()).isEqualTo(200);
            JsonNode t = r.json();
            assertThat(t.get("bucketNanos").asLong()).as(query).isPositive();
            assertThat(t.get("buckets").asInt()).as(query).isBetween(1, 2001);
            assertThat(events(t)).as(query).isEqualTo(3);
            for (JsonNode lane : t.get("lanes")) {
                for (JsonNode cell : lane.get("cells")) {
                    assertThat(cell.get(0).asInt()).as(query).isBetween(0, t.get("buckets").asInt() - 1);
                }
            }
        }
    }

    @Test
    void oneInstantAtEitherEnd_isATimelineOfItsEvent() {
        JsonNode first = timeline("?from=" + MIN + "&to=" + (Long.MIN_VALUE + 1)).json();
        JsonNode last = timeline("?from=" + MAX).json();

        assertThat(first.get("fromNanos").asLong()).isEqualTo(Long.MIN_VALUE);
        assertThat(events(first)).isEqualTo(1);
        assertThat(last.get("fromNanos").asLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(last.get("bucketNanos").asLong()).isEqualTo(1);
        assertThat(events(last)).isEqualTo(1);
    }

    @Test
    void anEndNotAfterTheStart_isA400SayingWhy() {
        Http.Response reversed = timeline("?from=" + MAX + "&to=" + MIN);
        Http.Response equal = timeline("?from=0&to=0");
        Http.Response beforeTheFirstEvent = timeline("?to=" + MIN);

        assertThat(reversed.status()).isEqualTo(400);
        assertThat(reversed.json().get("error").asText()).isEqualTo("'to' (" + MIN + ") must be after 'from' (" + MAX + ")");
        assertThat(equal.status()).isEqualTo(400);
        assertThat(equal.json().get("error").asText()).isEqualTo("'to' (0) must be after 'from' (0)");
        assertThat(beforeTheFirstEvent.status()).isEqualTo(400);
    }

    @Test
    void numbersPastTheLongRange_areA400NamingTheParameter() {
        Http.Response tooLate = timeline("?to=9223372036854775808");

        assertThat(tooLate.status()).isEqualTo(400);
        assertThat(tooLate.json().get("error").asText()).startsWith("'to' must be a whole number");
    }

    @Test
    void theTreeAndTheEvents_takeTheSameExtremes() {
        Http.Response tree = http.get("/api/vms/" + VM + "/tree?from=" + MAX + "&to=" + MIN);
        Http.Response at = http.get("/api/vms/" + VM + "/tree?at=" + MAX);
        Http.Response events = http.get("/api/vms/" + VM + "/events?from=" + MIN + "&to=" + MAX);
        Http.Response vms = http.get("/api/vms");

        assertThat(tree.status()).as(tree.body()).isEqualTo(200);
        assertThat(at.status()).as(at.body()).isEqualTo(200);
        assertThat(at.json().get("processes")).hasSize(1);
        assertThat(events.json().get("total").asLong()).isEqualTo(3);
        assertThat(vms.status()).as(vms.body()).isEqualTo(200);
        assertThat(vms.json().get(0).get("eventsPerSecond").asDouble()).isEqualTo(1.0 / 60);
    }
}
