package io.vmiscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmiscope.overhead.workload.Workload;
import io.vmiscope.overhead.workload.WorkloadGuest;
import io.vmiscope.overhead.workload.Workloads;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A benign run of the demo guest under live detection with the lab's actions, as issue 14's acceptance asks: for
 * ten minutes the overhead workloads run one after another (two minutes each), crond writes its heartbeat every
 * minute, and a client requests the index page and both CGIs (the ping CGI as meant: a host name). No alert of
 * level medium or higher may be raised; the counts per level are printed. One booted guest for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BenignRunIT {

    private static final Duration RUN = Duration.ofMinutes(10);
    private static final List<String> PAGES = List.of("/", "/cgi-bin/status", "/cgi-bin/ping?host=127.0.0.1");

    private LiveLab lab;
    private Thread client;
    private final AtomicLong answered = new AtomicLong();

    @BeforeAll
    void startTheDemoWithDetection() throws Exception {
        lab = LiveLab.start("benign");
    }

    @AfterAll
    void stopEverything() throws InterruptedException {
        if (client != null) {
            client.interrupt();
            client.join(10_000);
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void tenMinutesOfWorkloads_cronHeartbeats_andWebRequests_raiseNoAlertOfLevelMediumOrHigher() throws Exception {
        WorkloadGuest guest = new WorkloadGuest(new ConsoleShell(lab.vm.console()),
                new InetSocketAddress("127.0.0.1", lab.vm.httpPort()), lab.vm.serialLog());
        int heartbeatsBefore = heartbeats();
        client = new Thread(this::requestPages, "benign-client");
        client.setDaemon(true);
        client.start();
        List<Workload> workloads = Workloads.all();
        Duration each = RUN.dividedBy(workloads.size());
        for (Workload workload : workloads) {
            workload.start(guest);
            try {
                Thread.sleep(each.toMillis());
            } finally {
                workload.stop(guest);
            }
        }
        client.interrupt();
        Thread.sleep(10_000); // the last events through detection

        List<JsonNode> alerts = lab.demo.alerts();
        int heartbeats = heartbeats() - heartbeatsBefore;
        System.out.printf("[BenignRunIT] %s of workloads %s, %d cron heartbeats, %d web answers: alerts per level %s; "
                        + "rules: %s%n", RUN, workloads.stream().map(Workload::name).toList(), heartbeats, answered.get(),
                LiveDemo.perLevel(alerts), alerts.stream().collect(Collectors.groupingBy(a -> a.get("fields").get("rule_id").asText()
                        + " " + a.get("fields").get("level").asText(), TreeMap::new, Collectors.counting())));

        assertThat(heartbeats).as("cron heartbeats during the run").isGreaterThanOrEqualTo(8);
        assertThat(answered.get()).as("web requests answered").isGreaterThan(50);
        assertThat(alerts).as("alerts of level medium or higher").noneMatch(LiveDemo::mediumOrHigher);
    }

    private int heartbeats() {
        String lines = lab.vm.console().run("cat /var/log/heartbeat 2>/dev/null | wc -l", Duration.ofSeconds(60))
                .output().strip();
        return Integer.parseInt(lines);
    }

    /** The pages in turn, one request every two seconds, as a user or a health checker would. */
    private void requestPages() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
            URI page = URI.create("http://127.0.0.1:" + lab.vm.httpPort() + PAGES.get(i % PAGES.size()));
            try {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(page).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    answered.incrementAndGet();
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // a refused or timed-out request under load is not answered: the next one is tried
            }
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
