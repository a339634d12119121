package io.vmiscope.store.imports;

import io.vmiscope.events.AnomalyEvent;
import io.vmiscope.events.Event;
import io.vmiscope.events.EventJson;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.ProcessSnapshotEvent;
import io.vmiscope.events.SyscallEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.vmiscope.store.imports.Fixtures.events;
import static io.vmiscope.store.imports.Fixtures.lineCounts;
import static io.vmiscope.store.imports.Fixtures.parsed;
import static io.vmiscope.store.imports.Fixtures.readAll;
import static io.vmiscope.store.imports.Fixtures.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class VmiscopeJsonlReaderTest {

    private final List<ImportItem> items = readAll(ImportFormat.JSONL.reader(), Fixtures.path("vmiscope.jsonl"));

    @Test
    void everyKindOfLine_isReadBack_attributedToTheImportsVm() {
        List<Event> events = events(items);

        assertThat(events).extracting(Event::kind).containsExactly("syscall", "exec", "processes", "anomaly");
        assertThat(events).allSatisfy(e -> assertThat(e.vm()).isEqualTo("case-42"));
        SyscallEvent call = (SyscallEvent) events.get(0);
        assertThat(call.process()).isEqualTo(new ProcessRef(709, 709, 110, 0, "sh"));
        assertThat(call.number()).isEqualTo(257);
        assertThat(call.result()).isEqualTo("4");
        assertThat(call.arguments()).hasSize(2);
        assertThat(((ExecEvent) events.get(1)).argv()).containsExactly("cat", "/etc/shadow");
        assertThat(((ProcessSnapshotEvent) events.get(2)).processes().get(0).state()).isEqualTo('S');
        assertThat(((AnomalyEvent) events.get(3)).anomaly()).isEqualTo("CYCLE");
    }

    @Test
    void rawRecord_keepsTheOriginalLine_withTheRecordedVm() {
        ImportItem.Parsed first = parsed(items).get(0);

        assertThat(first.rawRecord()).contains("\"vm\":\"recorded\"");
        assertThat(EventJson.toLine(first.event())).isEqualTo(first.rawRecord().replace("recorded", "case-42"));
    }

    @Test
    void unknownKindsAndGarbage_areRejected_withTheirLineNumbers() {
        assertThat(rejected(items)).extracting(ImportItem.Rejected::line, ImportItem.Rejected::reason)
                .containsExactly(tuple(5L, "unknown kind 'teleport'"), tuple(6L, rejected(items).get(1).reason()));
        assertThat(rejected(items).get(1).reason()).contains("not JSON:");
    }

    private static final String EXEC = "{\"time\":5,\"vm\":\"x\",\"action\":\"procevents\",\"kind\":\"exec\",\"pid\":2,"
            + "\"tid\":2,\"ppid\":1,\"uid\":0,\"process\":\"sh\",\"path\":\"/bin/ls\",\"argv\":[\"ls\"],\"argvComplete\":true}";

    @Test
    void twoEventsOnALine_areBothRead_andTrailingGarbageRejectsItsLineWhole(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("e.jsonl"), "\uFEFF" + EXEC + EXEC.replace("\"time\":5", "\"time\":6")
                + "\r" + EXEC + " }\r\n\n");

        List<ImportItem> items = readAll(ImportFormat.JSONL.reader(), file);

        assertThat(parsed(items)).extracting(ImportItem.Parsed::line, ImportItem.Parsed::ordinal, p -> p.event().timeNanos())
                .containsExactly(tuple(1L, 0, 5L), tuple(1L, 1, 6L));
        assertThat(rejected(items)).extracting(ImportItem.Rejected::line).containsExactly(2L);
        assertThat(rejected(items).get(0).reason()).startsWith("column " + (EXEC.length() + 2) + ": not JSON:");
        assertThat(lineCounts(items)).isEqualTo(new LineCounts(3, 1, 0, 0, 1, 1, 0, 0));
    }

    @Test
    void theStoresRowShape_asExportWritesIt_isReadAsTheSameEvent(@TempDir Path dir) throws IOException {
        String row = "{\"id\":\"0f\",\"time_ns\":5,\"vm\":\"x\",\"action\":\"procevents\",\"kind\":\"exec\",\"pid\":2,"
                + "\"tid\":2,\"ppid\":1,\"uid\":0,\"process\":\"sh\",\"name\":\"/bin/ls\",\"fields\":{\"path\":\"/bin/ls\","
                + "\"argv\":[\"ls\"],\"argvComplete\":true,\"timeInferred\":true},\"source\":\"/tmp/a.log\","
                + "\"source_line\":3,\"original\":\"x\",\"source_sha256\":\"ab\"}";
        Path file = Files.writeString(dir.resolve("export.jsonl"), row + "\n" + EXEC + "\n");

        List<ImportItem> items = readAll(ImportFormat.JSONL.reader(), file);

        assertThat(rejected(items)).isEmpty();
        assertThat(events(items).get(0)).isEqualTo(events(items).get(1));
        assertThat(parsed(items)).extracting(ImportItem.Parsed::timeInferred).containsExactly(true, false);
        assertThat(parsed(items).get(0).rawRecord()).isEqualTo(row);
    }
}
