package io.vmiscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmiscope.guest.GuestDistro;
import io.vmiscope.guest.LabAttack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A guest watched live ({@link LiveLab}) with the attacker's host side ({@link LabAttack}) beside it: plays the lab's
 * attack steps and checks that each step raises its expected alerts (rule id and ATT&CK technique) with evidence ids
 * that resolve to stored events, within 30 s; the latency per step is measured against the 10 s goal, not
 * asserted. Shared by the scenario tests of both guests; {@link #close()} stops the host side, the session and the VM.
 */
final class LabScenarios implements AutoCloseable {

    /** A default rule's id and one of its techniques. */
    record Expected(String ruleId, String technique) {
    }

    // The default rules the lab's steps raise (docs/detection.md, "Live scenarios").
    static final Expected WEB_SHELL = new Expected("c050450b-a3bd-5ef1-87de-5f51b59b3d42", "T1190");
    static final Expected DOWNLOAD_THEN_EXECUTE = new Expected("68c5d54b-db92-587a-9d44-3eface0e4228", "T1105");
    static final Expected EXECUTED_FROM_TMP = new Expected("24f87aee-ada1-5068-8755-93d9c5ec9b3a", "T1204.002");
    static final Expected NETCAT_EXEC = new Expected("e06259b5-13f7-5e4a-9631-6fe10c2bef8f", "T1059.004");
    static final Expected CONNECT_THEN_SHELL = new Expected("7327f0c7-a5d6-561c-b541-98b97faba7eb", "T1059.004");
    static final Expected CRONTAB = new Expected("49519377-8f5a-55fb-a94b-aae9149b9551", "T1053.003");
    static final Expected SHADOW_READ = new Expected("355cd2f8-325c-5afc-be14-d42885e8c7c9", "T1003.008");
    static final Expected MODULE_LOADED = new Expected("015e0e48-29fe-5a11-bab7-f86f78d633e2", "T1547.006");
    static final Expected MODULE_TOOL = new Expected("43cdebd7-825f-5db9-9e57-c3b07a58d649", "T1547.006");
    static final Expected ACCOUNT_CREATED = new Expected("4a9472f0-af37-54fb-a44f-b46d65b511d9", "T1136.001");
    static final Expected LOG_TRUNCATED = new Expected("3bfa33f7-ca9b-5827-b567-4e4e9169280b", "T1070.002");

    /** The goal: each alert within 10 s of its step, printed per step. */
    private static final double GOAL_SECONDS = 10;
    /** How long a test waits for an alert: a CI run saw the crontab step's alert come later than the goal. */
    private static final Duration WITHIN = Duration.ofSeconds(30);

    final LiveLab lab;
    final LabAttack attack;

    private LabScenarios(LiveLab lab, LabAttack attack) {
        this.lab = lab;
        this.attack = attack;
    }

    /** Boots the guest, starts the live session with detection (see {@link LiveLab#start}) and the host side. */
    static LabScenarios start(GuestDistro distro, String prefix, boolean followUps) throws Exception {
        LiveLab lab = LiveLab.start(distro, prefix, followUps);
        try {
            return new LabScenarios(lab, LabAttack.start(distro, lab.vm.httpPort()));
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /**
     * Plays every step of the lab in order and checks its alerts.
     *
     * @param expected      step → the alerts it must raise; every step of the lab has an entry
     * @param shellAnswered what the reverse shell's answer to {@code id} must contain
     * @return one line per expected alert: step, rule, technique, how long the step took and when the alert was seen
     */
    List<String> playAll(Map<String, List<Expected>> expected, String shellAnswered) throws Exception {
        assertThat(expected.keySet()).as("the steps with expected alerts").containsExactlyInAnyOrderElementsOf(attack.steps());
        List<String> table = new ArrayList<>();
        for (String step : attack.steps()) {
            List<JsonNode> before = lab.demo.alerts();
            LabAttack.StepResult result = attack.run(step);
            if (step.equals("reverse-shell")) {
                assertThat(result.output()).as("the reverse shell answered id").contains(shellAnswered);
            }
            for (Expected e : expected.get(step)) {
                JsonNode alert = awaitNew(e.ruleId(), before);
                double latency = (System.nanoTime() - result.sentNanos()) / 1e9;
                table.add(String.format(Locale.ROOT, "%-15s %s %-10s step %.1f s, alert seen %.1f s after it was sent%s",
                        step, e.ruleId(), e.technique(), result.took().toMillis() / 1000.0, latency,
                        latency > GOAL_SECONDS ? " (over the 10 s goal)" : ""));
                assertThat(alert.get("fields").get("techniques").toString()).contains(e.technique());
                assertThat(alert.get("fields").get("evidence")).isNotEmpty();
                for (JsonNode evidence : alert.get("fields").get("evidence")) {
                    assertThat(lab.event(evidence.asText()).get("kind").asText()).as("evidence %s of %s", evidence, step)
                            .isIn("exec", "file", "network", "syscall", "fork");
                }
            }
        }
        return table;
    }

    /** An alert of {@code ruleId} that was not among {@code before}, within 30 s. */
    private JsonNode awaitNew(String ruleId, List<JsonNode> before) throws Exception {
        List<String> old = before.stream().filter(LiveDemo.ofRule(ruleId)).map(a -> a.get("id").asText()).toList();
        return lab.demo.awaitAlert(LiveDemo.ofRule(ruleId).and(a -> !old.contains(a.get("id").asText())), WITHIN);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            attack.close();
        } finally {
            lab.close();
        }
    }
}
