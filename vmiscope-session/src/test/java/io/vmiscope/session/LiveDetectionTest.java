package io.vmiscope.session;

import io.vmiscope.detect.Detector;
import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.ControlEvent;
import io.vmiscope.events.Event;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.ProcessRef;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class LiveDetectionTest {

    private static final ProcessRef SHELL = new ProcessRef(42, 42, 1, 0, "sh");

    /** Raises one alert per exec of /bin/sh, and one more when the input ends. */
    private static final class ShellDetector implements Detector {
        final List<String> seenIds = new CopyOnWriteArrayList<>();

        @Override
        public List<AlertEvent> accept(String eventId, Event event) {
            seenIds.add(eventId);
            return event instanceof ExecEvent e && e.path().equals("/bin/sh")
                    ? List.of(alert(event.timeNanos(), List.of(eventId))) : List.of();
        }

        @Override
        public List<AlertEvent> finish() {
            return List.of(alert(99, List.of()));
        }
    }

    private static AlertEvent alert(long time, List<String> evidence) {
        return new AlertEvent(time, "vm", "sigma", SHELL, "r1", "shell", AlertEvent.Level.HIGH, List.of("T1059"),
                evidence, "a shell", "");
    }

    private static ExecEvent exec(long time, String path) {
        return new ExecEvent(time, "vm", "procevents", SHELL, path, List.of(path), true);
    }

    @Test
    void alertsReachTheSinks_decidedByTheFollowUp_withTheIdsTheStoreKeepsEventsUnder() {
        ShellDetector detector = new ShellDetector();
        List<Event> delivered = new CopyOnWriteArrayList<>();
        LiveDetection detection = new LiveDetection(detector, line -> { });
        detection.deliverTo(delivered::add, a -> a.withFollowUp("decided"));

        detection.accept(exec(1, "/bin/ls"));
        detection.accept(exec(2, "/bin/sh"));
        detection.close();

        assertThat(delivered).hasSize(2).allSatisfy(e -> assertThat(((AlertEvent) e).followUp()).isEqualTo("decided"));
        AlertEvent first = (AlertEvent) delivered.get(0);
        assertThat(first.evidence()).containsExactly(detector.seenIds.get(1));
        assertThat(first.evidence().get(0)).hasSize(32);
        assertThat(detection.alerts()).isEqualTo(2);
        assertThat(detection.latencyNanos(0.99)).isNotNegative();
    }

    @Test
    void alertsAndControlEvents_areNotDetectedOn() {
        ShellDetector detector = new ShellDetector();
        LiveDetection detection = new LiveDetection(detector, line -> { });

        detection.accept(alert(1, List.of()));
        detection.accept(new ControlEvent(2, "vm", "procevents", ProcessRef.NONE, "started", "x"));
        detection.close();

        assertThat(detector.seenIds).isEmpty();
    }

    @Test
    void aFullQueue_dropsEvents_countsThem_andSaysSoOnce() throws Exception {
        List<String> said = new ArrayList<>();
        Object gate = new Object();
        Detector slow = (id, event) -> {
            synchronized (gate) {
                return List.of();
            }
        };
        LiveDetection detection = new LiveDetection(slow, said::add);
        synchronized (gate) {
            for (int i = 0; i < LiveDetection.QUEUE + 100; i++) {
                detection.accept(exec(i, "/bin/ls"));
            }
        }
        detection.close();

        assertThat(detection.dropped()).isBetween(99L, 101L);
        assertThat(said).filteredOn(l -> l.startsWith("detection falls behind")).hasSize(1);
    }
}
