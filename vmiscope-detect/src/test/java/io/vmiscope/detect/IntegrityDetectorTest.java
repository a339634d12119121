package io.vmiscope.detect;

import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.IntegrityFindingEvent;
import io.vmiscope.events.ProcessRef;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IntegrityDetectorTest {

    private static final long SECOND = 1_000_000_000L;
    private static final ProcessRef SLEEP = new ProcessRef(42, 42, -1, -1, "sleep");

    private static IntegrityFindingEvent finding(long time, String vm, String check, String subject) {
        return new IntegrityFindingEvent(time, vm, "checks:5s", SLEEP, check, subject, "missing from the task list",
                Map.of("task list (init_task.tasks)", "absent"), List.of("T1014"));
    }

    @Test
    void aFinding_becomesAnAlert_namedForItsCheck_withTheFindingAsEvidence() {
        List<AlertEvent> alerts = new IntegrityDetector().accept("ev-1", finding(5, "lab", "hidden-processes",
                "pid 42 (sleep)"));

        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.ruleId()).isEqualTo("vmiscope.integrity.hidden-processes");
            assertThat(a.title()).isEqualTo("Process hidden from the task list");
            assertThat(a.level()).isEqualTo(AlertEvent.Level.CRITICAL);
            assertThat(a.techniques()).containsExactly("T1014");
            assertThat(a.evidence()).containsExactly("ev-1");
            assertThat(a.process()).isEqualTo(SLEEP);
            assertThat(a.action()).isEqualTo("integrity");
            assertThat(a.explanation()).isEqualTo("pid 42 (sleep): missing from the task list");
            assertThat(a.timeNanos()).isEqualTo(5);
        });
    }

    @Test
    void aRaisedCredential_isHigh_andEveryHidingCheckIsCritical() {
        assertThat(IntegrityDetector.level("credentials")).isEqualTo(AlertEvent.Level.HIGH);
        assertThat(List.of("hidden-processes", "hidden-modules", "syscall-table"))
                .allSatisfy(c -> assertThat(IntegrityDetector.level(c)).isEqualTo(AlertEvent.Level.CRITICAL));
    }

    @Test
    void theSameFindingEveryPeriod_alertsOnce_untilTenMinutesHavePassed() {
        IntegrityDetector detector = new IntegrityDetector();
        assertThat(detector.accept("a", finding(0, "lab", "hidden-modules", "module dummy"))).hasSize(1);
        assertThat(detector.accept("b", finding(5 * SECOND, "lab", "hidden-modules", "module dummy"))).isEmpty();
        assertThat(detector.accept("c", finding(5 * SECOND, "other-vm", "hidden-modules", "module dummy"))).hasSize(1);
        assertThat(detector.accept("d", finding(6 * SECOND, "lab", "hidden-modules", "module rootkit"))).hasSize(1);
        assertThat(detector.accept("e", finding(601 * SECOND, "lab", "hidden-modules", "module dummy")))
                .singleElement().satisfies(a -> assertThat(a.evidence()).containsExactly("e"));
    }

    @Test
    void otherEvents_raiseNothing() {
        assertThat(new IntegrityDetector().accept("x", new ExecEvent(1, "lab", "procevents", SLEEP, "/bin/sh",
                List.of("sh"), true))).isEmpty();
    }

    @Test
    void hostileGuestText_staysOneCappedLine_inTheExplanation() {
        List<AlertEvent> alerts = new IntegrityDetector().accept("x", finding(1, "lab", "hidden-processes",
                "pid 1 (<img src=x>\n" + "y".repeat(500) + ")"));
        assertThat(alerts.get(0).explanation()).doesNotContain("\n").hasSizeLessThanOrEqualTo(241);
    }

    @Test
    void beside_anotherDetector_bothAlertsAreRaised_sideBySide() {
        Detector other = (id, event) -> List.of(new AlertEvent(1, "lab", "sigma", SLEEP, "r", "t",
                AlertEvent.Level.LOW, List.of(), List.of(id), "", ""));
        List<AlertEvent> alerts = new Detectors(List.of(other, new IntegrityDetector())).accept("ev", finding(1, "lab", "credentials",
                "pid 42 (sleep)"));
        assertThat(alerts).extracting(AlertEvent::ruleId).containsExactly("r", "vmiscope.integrity.credentials");
    }
}
