package io.vmiscope.store;

import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.Event;
import io.vmiscope.events.ProcessRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StoredEventsTest {

    private static final long START = 1_764_000_000_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void storedEvents_comeBackEqual_oldestFirst_withTheirIds_acrossPageBoundaries() {
        int n = 2_500;
        List<Event> written = new ArrayList<>();
        try (DuckDbEventStore store = DuckDbEventStore.open(dir.resolve("s.duckdb"), StoreOptions.defaults())) {
            for (int i = n - 1; i >= 0; i--) {
                Event e = SyntheticEvents.event("demo", START, i);
                written.add(e);
                store.accept(e);
            }
            store.accept(SyntheticEvents.event("other", START, 1));
            store.flush();
            List<String> ids = new ArrayList<>();
            List<Event> read = new ArrayList<>();
            long visited = new StoredEvents(store, 1_000).forEach(EventFilter.ALL.withVm("demo"), (id, e) -> {
                ids.add(id);
                read.add(e);
            });
            assertThat(visited).isEqualTo(n);
            assertThat(read).extracting(Event::timeNanos).isSorted();
            assertThat(read).containsExactlyInAnyOrderElementsOf(written);
            EventRows rows = new EventRows();
            assertThat(ids.get(7)).isEqualTo(rows.live(read.get(7)).id());
            assertThat(ids).doesNotHaveDuplicates();
        }
    }

    @Test
    void eventsOfOneInstant_spanningPages_areEachReadOnce() {
        try (DuckDbEventStore store = DuckDbEventStore.open(dir.resolve("s.duckdb"), StoreOptions.defaults())) {
            for (int i = 0; i < 2_500; i++) {
                store.accept(new io.vmiscope.events.ExecEvent(START, "demo", "procevents",
                        new ProcessRef(i, i, 1, 0, "sh"), "/bin/p" + i, List.of("p"), true));
            }
            store.flush();
            List<String> ids = new ArrayList<>();
            new StoredEvents(store, 1_000).forEach(EventFilter.ALL, (id, e) -> ids.add(id));
            assertThat(ids).hasSize(2_500).doesNotHaveDuplicates().isSorted();
        }
    }

    @Test
    void aTimeWindow_limitsWhatIsRead() {
        try (DuckDbEventStore store = DuckDbEventStore.open(dir.resolve("s.duckdb"), StoreOptions.defaults())) {
            for (int i = 0; i < 100; i++) {
                store.accept(SyntheticEvents.event("demo", START, i));
            }
            store.flush();
            List<Event> read = new ArrayList<>();
            long from = SyntheticEvents.event("demo", START, 10).timeNanos();
            long to = SyntheticEvents.event("demo", START, 20).timeNanos();
            new StoredEvents(store).forEach(EventFilter.ALL.withVm("demo").between(from, to), (id, e) -> read.add(e));
            assertThat(read).hasSize(10).allMatch(e -> e.timeNanos() >= from && e.timeNanos() < to);
        }
    }

    @Test
    void anAlertRaisedTwice_withAnotherFollowUpText_isStoredOnce() {
        AlertEvent first = new AlertEvent(START, "demo", "sigma", new ProcessRef(5, 5, 1, 0, "sh"), "rule-1", "t",
                AlertEvent.Level.HIGH, List.of("T1059"), List.of("e1", "e2"), "why", "requested: x");
        try (DuckDbEventStore store = DuckDbEventStore.open(dir.resolve("s.duckdb"), StoreOptions.defaults())) {
            store.accept(first);
            store.accept(first.withFollowUp("ran: x for 60 s"));
            store.accept(new AlertEvent(START, "demo", "sigma", first.process(), "rule-1", "t", AlertEvent.Level.HIGH,
                    List.of("T1059"), List.of("e1", "e3"), "why", ""));
            store.flush();
            assertThat(store.count(EventFilter.ALL.withKind("alert"))).isEqualTo(2);
            assertThat(store.stats().duplicates()).isEqualTo(1);
        }
    }
}
