package io.vmiscope.store;

import io.vmiscope.events.Event;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.SyscallArgument;
import io.vmiscope.events.SyscallEvent;
import io.vmiscope.store.imports.DrakvufReader;
import io.vmiscope.store.imports.ImportItem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class EventReaderTest {

    private static final long START = 1_764_000_000_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void forEach_givesTheEventsOfOneVmInTheWindow_inTimeOrder_acrossPagesWithTiesAtTheirEdges() {
        int n = 3 * StoredEvents.PAGE + 17;
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // five events share each time, so ties fall on page boundaries
            events.add(event("demo", START + (i / 5) * 1_000L, i));
            events.add(event("other", START + (i / 5) * 1_000L, i));
        }
        Collections.shuffle(events, new Random(7));
        long from = START + 100 * 1_000L;
        long to = START + (n / 5 - 100) * 1_000L;
        List<String> ids = new ArrayList<>();
        List<Event> back = new ArrayList<>();
        try (DuckDbEventStore store = DuckDbEventStore.open(dir.resolve("s.duckdb"), StoreOptions.defaults())) {
            events.forEach(store::accept);
            store.flush();
            EventReader reader = store;
            long handed = reader.forEach(EventFilter.ALL.withVm("demo").between(from, to), (id, e) -> {
                ids.add(id);
                back.add(e);
            });
            assertThat(handed).isEqualTo(back.size());
        }
        List<Event> expected = events.stream().filter(e -> e.vm().equals("demo"))
                .filter(e -> e.timeNanos() >= from && e.timeNanos() < to).toList();
        assertThat(back).hasSizeGreaterThan(2 * StoredEvents.PAGE).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(back).extracting(Event::timeNanos).isSorted().allMatch(t -> t >= from && t < to);
        assertThat(ids).doesNotHaveDuplicates();
        EventIds live = new EventIds();
        for (int i = 0; i < back.size(); i++) {
            assertThat(ids.get(i)).isEqualTo(live.live(back.get(i), EventColumns.fieldsJson(back.get(i))));
            if (i > 0 && back.get(i).timeNanos() == back.get(i - 1).timeNanos()) {
                assertThat(ids.get(i)).isGreaterThan(ids.get(i - 1));
            }
        }
    }

    @Test
    void forEach_overAnEmptyWindow_handsNothing() {
        try (DuckDbEventStore store = DuckDbEventStore.open(dir.resolve("s.duckdb"), StoreOptions.defaults())) {
            store.accept(event("demo", START, 1));
            store.flush();
            List<Event> back = new ArrayList<>();
            assertThat(store.forEach(EventFilter.ALL.withVm("demo").between(START + 1, START + 2),
                    (id, e) -> back.add(e))).isZero();
            assertThat(back).isEmpty();
        }
    }

    @Test
    void forEach_givesImportedEventsBack_asTheirReaderParsedThem() throws Exception {
        Path log = dir.resolve("drakmon.log");
        Files.writeString(log, """
                {"Plugin":"apimon","PID":4,"PPID":0,"TID":1,"UserId":0,"ProcessName":"a.exe","Method":"dll_loaded","Event":"dll_loaded"}
                {"Plugin":"procmon","TimeStamp":"1700000000.000001","PID":4,"PPID":0,"TID":1,"UserId":0,"ProcessName":"a.exe","Method":"NtTerminateProcess","EventUID":"0x1","ExitPid":4}
                """);
        List<Event> parsed = new DrakvufReader().read(log, "win").filter(ImportItem.Parsed.class::isInstance)
                .map(item -> ((ImportItem.Parsed) item).event()).toList();
        try (DuckDbEventStore store = DuckDbEventStore.open(dir.resolve("s.duckdb"), StoreOptions.defaults())) {
            new Importer(store, Importer.DEFAULT_BATCH_SIZE, new Importer.Listener() { })
                    .run(new DrakvufReader(), List.of(log), "win");
            List<Event> back = new ArrayList<>();
            store.forEach(EventFilter.ALL.withVm("win"), (id, e) -> back.add(e));
            assertThat(back).hasSize(parsed.size()).extracting(Event::kind).contains("imported");
            assertThat(back).extracting(Event::timeNanos).isSorted().allMatch(t -> t == 1_700_000_000_000_001_000L);
            assertThat(back).extracting(e -> e.fields().get("method"))
                    .containsExactlyInAnyOrderElementsOf(parsed.stream().map(e -> e.fields().get("method")).toList());
        }
    }

    private static Event event(String vm, long time, int i) {
        return new SyscallEvent(time, vm, "syscalls:openat", new ProcessRef(100 + i % 3, 100 + i % 3, 1, 0, "p"),
                "openat", 257, List.of(new SyscallArgument("filename", "PATH", 4096L + i, "\"/tmp/f" + i + "\"",
                false, false)), String.valueOf(i));
    }
}
