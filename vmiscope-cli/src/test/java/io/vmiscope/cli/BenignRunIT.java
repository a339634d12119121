package io.vmiscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmiscope.overhead.workload.Workload;
import io.vmiscope.overhead.workload.Workloads;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A benign run of the demo guest under live detection with the lab's actions, as issue 14's acceptance asks: for
 * ten minutes the overhead workloads run one after another (two minutes each), crond writes its heartbeat every
 * minute, and a client requests the index page and both CGIs ({@link BenignLoad}). No alert of
 * level medium or higher may be raised; the counts per level are printed. One booted guest for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BenignRunIT {

    private static final Duration RUN = Duration.ofMinutes(10);
    private LiveLab lab;

    @BeforeAll
    void startTheDemoWithDetection() throws Exception {
        lab = LiveLab.start("benign");
    }

    @AfterAll
    void stopEverything() throws InterruptedException {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void tenMinutesOfWorkloads_cronHeartbeats_andWebRequests_raiseNoAlertOfLevelMediumOrHigher() throws Exception {
        int heartbeatsBefore = heartbeats();
        long answered = BenignLoad.withWorkloads(lab.vm, RUN);
        Thread.sleep(10_000); // the last events through detection

        List<JsonNode> alerts = lab.demo.alerts();
        int heartbeats = heartbeats() - heartbeatsBefore;
        System.out.printf("[BenignRunIT] %s of workloads %s, %d cron heartbeats, %d web answers: alerts per level %s; "
                        + "rules: %s%n", RUN, Workloads.all().stream().map(Workload::name).toList(), heartbeats, answered,
                LiveDemo.perLevel(alerts), alerts.stream().collect(Collectors.groupingBy(a -> a.get("fields").get("rule_id").asText()
                        + " " + a.get("fields").get("level").asText(), TreeMap::new, Collectors.counting())));

        assertThat(heartbeats).as("cron heartbeats during the run").isGreaterThanOrEqualTo(8);
        assertThat(answered).as("web requests answered").isGreaterThan(50);
        assertThat(alerts).as("alerts of level medium or higher").noneMatch(LiveDemo::mediumOrHigher);
    }

    private int heartbeats() {
        String lines = lab.vm.console().run("cat /var/log/heartbeat 2>/dev/null | wc -l", Duration.ofSeconds(60))
                .output().strip();
        return Integer.parseInt(lines);
    }
}
