package io.vmiscope.store.imports;

import io.vmiscope.events.AnomalyEvent;
import io.vmiscope.events.Event;
import io.vmiscope.events.EventJson;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.ProcessSnapshotEvent;
import io.vmiscope.events.SyscallEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.vmiscope.store.imports.Fixtures.events;
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
        assertThat(rejected(items).get(1).reason()).startsWith("not JSON:");
    }
}
