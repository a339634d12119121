package io.vmiscope.detect.sigma;

import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.vmiscope.detect.sigma.Guest.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Correlation windows at their edges: exactly the timespan fires, a nanosecond more does not. */
class CorrelationTest {

    private static final String BASES = """
            ---
            title: exec
            id: base-exec
            name: exec
            logsource: {product: linux, category: process_creation}
            detection: {s: {Image|startswith: '/'}, condition: s}
            ---
            title: connect
            id: base-connect
            name: connect
            logsource: {product: linux, category: network_connection}
            detection: {s: {Initiated: 'true'}, condition: s}
            """;

    @TempDir
    Path dir;

    private RuleSet correlation(String body) {
        RuleSet rules = rules(dir, "title: corr\nid: corr-1\nlevel: high\ncorrelation:\n" + body + BASES);
        assertThat(rules.malformed()).isEmpty();
        assertThat(rules.unsupported()).isEmpty();
        return rules;
    }

    private static Event execAt(long nanos, int pid, String path) {
        return new io.vmiscope.events.ExecEvent(T0 + nanos, VM, "procevents", proc(pid, 1, 0, "sh"), path,
                List.of(path), true);
    }

    private static Event connectAt(long nanos, int pid) {
        return new io.vmiscope.events.NetworkEvent(T0 + nanos, VM, "network", proc(pid, 1, 0, "nc"), "connect",
                "10.0.0.1:80", 3, "connect");
    }

    @Test
    void eventCount_firesWhenTheCountIsReachedWithinTheTimespan_inclusive() {
        RuleSet rules = correlation("  type: event_count\n  rules: [exec]\n  group-by: [User]\n  timespan: 10s\n"
                + "  condition: {gte: 3}\n");
        long s = 1_000_000_000L;
        List<AlertEvent> edge = run(rules, execAt(0, 1, "/a"), execAt(5 * s, 2, "/b"), execAt(10 * s, 3, "/c"));
        assertThat(edge).singleElement().satisfies(a -> {
            assertThat(a.ruleId()).isEqualTo("corr-1");
            assertThat(a.evidence()).containsExactly("e1", "e2", "e3");
            assertThat(a.timeNanos()).isEqualTo(T0 + 10 * s);
        });
        assertThat(run(rules, execAt(0, 1, "/a"), execAt(5 * s, 2, "/b"), execAt(10 * s + 1, 3, "/c"))).isEmpty();
        assertThat(run(rules, execAt(0, 1, "/a"), execAt(1, 2, "/b"), execAt(2, 3, "/c"), execAt(3, 4, "/d")))
                .as("one burst, one alert").hasSize(1);
    }

    @Test
    void eventCount_countsEachGroupApart() {
        RuleSet rules = correlation("  type: event_count\n  rules: [exec]\n  group-by: [ProcessId]\n  timespan: 1m\n"
                + "  condition: {gt: 1}\n");
        assertThat(run(rules, execAt(0, 1, "/a"), execAt(1, 2, "/b"))).isEmpty();
        assertThat(run(rules, execAt(0, 1, "/a"), execAt(1, 1, "/b"))).hasSize(1);
    }

    @Test
    void valueCount_countsDistinctValues() {
        RuleSet rules = correlation("  type: value_count\n  rules: [exec]\n  timespan: 1m\n"
                + "  condition: {gte: 3, field: Image}\n");
        assertThat(run(rules, execAt(0, 1, "/a"), execAt(1, 1, "/a"), execAt(2, 1, "/b"))).isEmpty();
        assertThat(run(rules, execAt(0, 1, "/a"), execAt(1, 1, "/b"), execAt(2, 1, "/c"))).hasSize(1);
    }

    @Test
    void temporal_firesOnAllRulesInAnyOrder_withinTheTimespan() {
        RuleSet rules = correlation("  type: temporal\n  rules: [exec, connect]\n  group-by: [ProcessId]\n"
                + "  timespan: 5s\n");
        long s = 1_000_000_000L;
        assertThat(run(rules, connectAt(0, 7), execAt(5 * s, 7, "/bin/sh"))).singleElement()
                .satisfies(a -> assertThat(a.evidence()).containsExactly("e1", "e2"));
        assertThat(run(rules, execAt(0, 7, "/bin/sh"), connectAt(5 * s, 7))).hasSize(1);
        assertThat(run(rules, execAt(0, 7, "/bin/sh"), connectAt(5 * s + 1, 7))).isEmpty();
        assertThat(run(rules, execAt(0, 7, "/bin/sh"), connectAt(1, 8))).isEmpty();
    }

    @Test
    void temporalOrdered_needsTheOrder_andTheWindowOfTheFirst() {
        RuleSet rules = correlation("  type: temporal_ordered\n  rules: [connect, exec]\n  group-by: [ProcessId]\n"
                + "  timespan: 5s\n");
        long s = 1_000_000_000L;
        assertThat(run(rules, connectAt(0, 7), execAt(5 * s, 7, "/bin/sh"))).hasSize(1);
        assertThat(run(rules, connectAt(0, 7), execAt(5 * s + 1, 7, "/bin/sh"))).isEmpty();
        assertThat(run(rules, execAt(0, 7, "/bin/sh"), connectAt(1, 7))).isEmpty();
        assertThat(run(rules, connectAt(0, 7), connectAt(4 * s, 7), execAt(8 * s, 7, "/bin/sh")))
                .as("a newer first step restarts the window").hasSize(1);
    }

    @Test
    void generateTrue_letsTheBaseRulesAlertToo() {
        RuleSet rules = correlation("  type: event_count\n  rules: [exec]\n  timespan: 1m\n  condition: {gte: 2}\n"
                + "  generate: true\n");
        assertThat(run(rules, execAt(0, 1, "/a"), execAt(1, 1, "/b")).stream().map(AlertEvent::ruleId))
                .containsExactly("base-exec", "base-exec", "corr-1");
    }
}
