package io.vmiscope.detect.anomaly;

import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.ExitEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.SyscallEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AnomalyDetectorTest {

    private static final ProcessRef P = new ProcessRef(42, 42, 1, 0, "httpd");

    private final AnomalyModel model;

    AnomalyDetectorTest() {
        ProgramModel httpd = new ProgramModel(2, 1000);
        httpd.train(new int[] {0, 1, 3, 0, 1, 3, 0, 1, 3});
        model = new AnomalyModel("httpd-normal", new AnomalyModel.Settings(Method.STIDE, 2, 3),
                new AnomalyModel.Threshold(0.5, 0.01, 10), Map.of("/sbin/httpd", httpd));
    }

    private static SyscallEvent call(int number) {
        return new SyscallEvent(1000 + number, "vm1", "syscalls:all", P, "sys" + number, number, List.of(), null, "x64");
    }

    private List<AlertEvent> feed(AnomalyDetector d, int... numbers) {
        List<AlertEvent> alerts = new ArrayList<>();
        alerts.addAll(d.accept("exec", new ExecEvent(1, "vm1", "procevents", P, "/sbin/httpd", List.of(), true)));
        for (int i = 0; i < numbers.length; i++) {
            alerts.addAll(d.accept("e" + i, call(numbers[i])));
        }
        return alerts;
    }

    @Test
    void normalCalls_raiseNothing() {
        AnomalyDetector d = new AnomalyDetector(model, 10);
        assertThat(feed(d, 0, 1, 3, 0, 1, 3)).isEmpty();
        assertThat(d.finish()).isEmpty();
    }

    @Test
    void anUnusualFrame_raisesOneAlert_withTheUnusualCallsAsEvidence() {
        AnomalyDetector d = new AnomalyDetector(model, 10);
        List<AlertEvent> alerts = feed(d, 0, 1, 3, 59, 33, 0, 59, 33);
        assertThat(alerts).hasSize(1);
        AlertEvent a = alerts.get(0);
        assertThat(a.ruleId()).isEqualTo("httpd-normal");
        assertThat(a.process().pid()).isEqualTo(42);
        assertThat(a.evidence()).containsExactly("e3", "e4");
        assertThat(a.title()).contains("/sbin/httpd");
    }

    @Test
    void aShortUnusualRun_isJudgedAtItsExit() {
        AnomalyDetector d = new AnomalyDetector(model, 10);
        assertThat(feed(d, 59, 33)).isEmpty();
        List<AlertEvent> alerts = d.accept("x", new ExitEvent(5000, "vm1", "procevents", P, 0, 0, false));
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.evidence()).containsExactly("e0", "e1"));
    }

    @Test
    void aProgramWithoutAModel_raisesOneAlertAtItsFirstCall_onceForAllItsRuns() {
        AnomalyDetector d = new AnomalyDetector(model, 10);
        ProcessRef first = new ProcessRef(7, 7, 1, 0, "sh");
        ProcessRef second = new ProcessRef(8, 8, 1, 0, "sh");
        assertThat(d.accept("x", new ExecEvent(1, "vm1", "a", first, "/tmp/payload", List.of(), true))).isEmpty();
        List<AlertEvent> alerts = d.accept("s1", new SyscallEvent(2, "vm1", "a", first, "x", 59, List.of(), null, "x64"));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.title()).isEqualTo("Program never seen in the normal runs: /tmp/payload");
            assertThat(a.evidence()).containsExactly("s1");
            assertThat(a.process().pid()).isEqualTo(7);
        });
        assertThat(d.accept("s2", new SyscallEvent(3, "vm1", "a", first, "x", 59, List.of(), null, "x64"))).isEmpty();
        assertThat(d.accept("y", new ExecEvent(4, "vm1", "a", second, "/tmp/payload", List.of(), true))).isEmpty();
        assertThat(d.accept("s3", new SyscallEvent(5, "vm1", "a", second, "x", 59, List.of(), null, "x64"))).isEmpty();
        assertThat(d.finish()).isEmpty();
    }

    @Test
    void aBusyboxAppletRunByName_isItsOwnProgram() {
        AnomalyDetector d = new AnomalyDetector(model, 10);
        ProcessRef nc = new ProcessRef(9, 9, 1, 0, "sh");
        d.accept("x", new ExecEvent(1, "vm1", "a", nc, "/proc/self/exe", List.of("nc", "-e", "/bin/sh"), true));
        assertThat(d.accept("s", new SyscallEvent(2, "vm1", "a", nc, "x", 41, List.of(), null, "x64")))
                .singleElement().satisfies(a -> assertThat(a.title()).endsWith(": /bin/nc"));
    }

    @Test
    void aDataSetModel_coversEveryProgram_andRaisesNoUnknownProgramAlert() {
        ProgramModel any = new ProgramModel(2, 1000);
        any.train(new int[] {59, 59, 59});
        AnomalyDetector d = new AnomalyDetector(new AnomalyModel("adfa", new AnomalyModel.Settings(Method.STIDE, 2, 3),
                new AnomalyModel.Threshold(0.5, 0.01, 10), Map.of(AnomalyModel.ANY_PROGRAM, any)), 10);
        ProcessRef other = new ProcessRef(7, 7, 1, 0, "sh");
        assertThat(d.accept("s", new SyscallEvent(1, "vm1", "a", other, "x", 59, List.of(), null, "x64"))).isEmpty();
        assertThat(d.finish()).isEmpty();
    }
}
