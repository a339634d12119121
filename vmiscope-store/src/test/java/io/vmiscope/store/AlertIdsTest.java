package io.vmiscope.store;

import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.ProcessRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An alert's id is its vm, rule and evidence: raised again, it is stored once. */
class AlertIdsTest {

    private static final long START = 1_764_000_000_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void anAlertRaisedTwice_withAnotherFollowUpText_isStoredOnce_andOtherEvidenceIsAnotherAlert() {
        AlertEvent first = new AlertEvent(START, "demo", "sigma", new ProcessRef(5, 5, 1, 0, "sh"), "rule-1", "t",
                AlertEvent.Level.HIGH, List.of("T1059"), List.of("e1", "e2"), "why", "requested: x");
        AlertEvent followedUp = first.withFollowUp("ran: x for 60 s");
        assertThat(new EventIds().live(followedUp, EventColumns.fieldsJson(followedUp)))
                .isEqualTo(new EventIds().live(first, EventColumns.fieldsJson(first)));
        try (DuckDbEventStore store = DuckDbEventStore.open(dir.resolve("s.duckdb"), StoreOptions.defaults())) {
            store.accept(first);
            store.accept(followedUp);
            store.accept(new AlertEvent(START, "demo", "sigma", first.process(), "rule-1", "t", AlertEvent.Level.HIGH,
                    List.of("T1059"), List.of("e1", "e3"), "why", ""));
            store.flush();
            assertThat(store.count(EventFilter.ALL.withKind("alert"))).isEqualTo(2);
            assertThat(store.stats().duplicates()).isEqualTo(1);
        }
    }
}
