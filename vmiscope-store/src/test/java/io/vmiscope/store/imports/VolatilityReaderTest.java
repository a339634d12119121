package io.vmiscope.store.imports;

import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.ProcessSnapshotEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import static io.vmiscope.store.imports.Fixtures.itemsOfLines;
import static io.vmiscope.store.imports.Fixtures.lineCounts;
import static io.vmiscope.store.imports.Fixtures.parsed;
import static io.vmiscope.store.imports.Fixtures.readAll;
import static io.vmiscope.store.imports.Fixtures.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class VolatilityReaderTest {

    private final VolatilityReader reader = new VolatilityReader();

    private static ProcessSnapshotEvent snapshot(List<ImportItem> items) {
        assertThat(parsed(items)).hasSize(1);
        return (ProcessSnapshotEvent) parsed(items).get(0).event();
    }

    private static long nanos(String iso) {
        Instant i = Instant.parse(iso);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @Test
    void linuxPslistJson_newerColumns_giveOneSnapshot_withUidGidAndCreationTimes() {
        List<ImportItem> items = readAll(reader, Fixtures.path("linux-pslist.json"));
        ProcessSnapshotEvent s = snapshot(items);

        assertThat(rejected(items)).isEmpty();
        assertThat(s.action()).isEqualTo("volatility:linux.pslist");
        assertThat(s.vm()).isEqualTo("case-42");
        assertThat(s.process()).isEqualTo(ProcessRef.NONE);
        assertThat(s.processes()).extracting(ProcessSnapshotEvent.Entry::pid, ProcessSnapshotEvent.Entry::tid,
                ProcessSnapshotEvent.Entry::ppid, ProcessSnapshotEvent.Entry::uid, ProcessSnapshotEvent.Entry::name)
                .containsExactly(tuple(1, 1, 0, 0L, "systemd"), tuple(612, 612, 1, 0L, "sshd"),
                        tuple(701, 701, 612, 1000L, "bash"));
        assertThat(s.processes().get(0).startTimeNanos()).isEqualTo(nanos("2024-05-01T10:00:00.250Z"));
        assertThat(s.timeNanos()).as("the newest creation time").isEqualTo(nanos("2024-05-01T10:07:30.000001Z"));
        assertThat(s.appeared()).containsExactly(1, 612, 701);
        assertThat(s.complete()).isTrue();
        assertThat(parsed(items).get(0).line()).isEqualTo(1);
        assertThat(parsed(items).get(0).rawRecord()).startsWith("[").contains("\"COMM\": \"bash\"");
    }

    @Test
    void linuxPstreeJson_flattensNestedChildren_depthFirst_keepingEveryParentRelation() {
        ProcessSnapshotEvent s = snapshot(readAll(reader, Fixtures.path("linux-pstree.json")));

        assertThat(s.action()).isEqualTo("volatility:linux.pstree");
        assertThat(s.processes()).extracting(ProcessSnapshotEvent.Entry::pid, ProcessSnapshotEvent.Entry::ppid,
                ProcessSnapshotEvent.Entry::name).containsExactly(tuple(1, 0, "systemd"), tuple(612, 1, "sshd"),
                tuple(701, 612, "bash"), tuple(702, 701, "id"), tuple(530, 1, "cron"), tuple(2, 0, "kthreadd"));
        assertThat(s.processes()).allSatisfy(p -> assertThat(p.startTimeNanos()).isZero());
    }

    @Test
    void windowsPslistJson_keepsCreateTime_andMarksExitedProcesses() {
        ProcessSnapshotEvent s = snapshot(readAll(reader, Fixtures.path("windows-pslist.json")));

        assertThat(s.action()).isEqualTo("volatility:windows.pslist");
        assertThat(s.processes()).extracting(ProcessSnapshotEvent.Entry::pid, ProcessSnapshotEvent.Entry::ppid,
                ProcessSnapshotEvent.Entry::name, ProcessSnapshotEvent.Entry::state, ProcessSnapshotEvent.Entry::uid)
                .containsExactly(tuple(4, 0, "System", '?', -1L), tuple(1980, 4, "explorer.exe", '?', -1L),
                        tuple(3120, 1980, "powershell.exe", 'X', -1L));
        assertThat(s.processes().get(2).startTimeNanos()).isEqualTo(nanos("2024-05-01T10:02:00.123456Z"));
    }

    @Test
    void olderJsonl_withoutCreationTime_rejectsBadLines_keepsTheRest_andTakesTheFilesTime(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("pslist.jsonl");
        Files.copy(Fixtures.path("linux-pslist-old.jsonl"), file);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-06-01T00:00:00Z")));

        List<ImportItem> items = readAll(reader, file);
        ProcessSnapshotEvent s = snapshot(items);

        assertThat(rejected(items)).extracting(ImportItem.Rejected::line, ImportItem.Rejected::reason)
                .containsExactly(tuple(3L, "PID is not an integer"), tuple(5L, rejected(items).get(1).reason()));
        assertThat(rejected(items).get(1).reason()).startsWith("column 105: not JSON: Unexpected end-of-input");
        assertThat(lineCounts(items)).as("three rows folded into the snapshot, two lines rejected, one blank")
                .isEqualTo(new LineCounts(6, 0, 3, 1, 2, 1, 1, 0));
        assertThat(s.processes()).extracting(ProcessSnapshotEvent.Entry::pid, ProcessSnapshotEvent.Entry::ppid)
                .containsExactly(tuple(1, 0), tuple(245, 1), tuple(311, 310));
        assertThat(s.complete()).isFalse();
        assertThat(s.action()).isEqualTo("volatility:linux.pslist");
        assertThat(s.timeNanos()).isEqualTo(nanos("2024-06-01T00:00:00Z"));
        assertThat(parsed(items).get(0).rawRecord().lines()).hasSize(3);
    }

    @Test
    void malformedJsonDocument_givesOneRejectionWhereItBreaks_forEveryLine_andNoSnapshot() {
        List<ImportItem> items = readAll(reader, Fixtures.path("malformed.json"));

        assertThat(parsed(items)).isEmpty();
        assertThat(rejected(items)).singleElement().satisfies(r -> {
            assertThat(r.line()).isEqualTo(3);
            assertThat(r.reason()).startsWith("not a Volatility JSON document: column 20: not JSON: Unexpected end-of-input");
        });
        assertThat(lineCounts(items)).isEqualTo(new LineCounts(3, 0, 0, 0, 3, 0, 0, 0));
    }

    @Test
    void aJsonRowOfTheWrongShape_isRejectedByItsIndex_andTheOthersKept(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("pslist.json");
        Files.writeString(file, "[{\"PID\":1,\"PPID\":0,\"COMM\":\"init\"}, 7, {\"PPID\":1,\"COMM\":\"nopid\"},"
                + " {\"PID\":2,\"PPID\":1,\"COMM\":\"sh\",\"__children\":\"no\"}]");

        List<ImportItem> items = readAll(reader, file);

        assertThat(rejected(items)).extracting(ImportItem.Rejected::reason).containsExactly(
                "row 2: not a JSON object", "row 3: row without PID", "row 4: __children is not a list");
        assertThat(snapshot(items).processes()).extracting(ProcessSnapshotEvent.Entry::pid).containsExactly(1);
        assertThat(snapshot(items).complete()).isFalse();
    }

    @Test
    void nestingDeeperThanTheLimit_isRejected_notAStackOverflow(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("pstree.json");
        String open = "{\"PID\":1,\"PPID\":0,\"COMM\":\"x\",\"__children\":[";
        Files.writeString(file, "[" + open.repeat(5000) + "]}".repeat(5000) + "]");

        List<ImportItem> items = readAll(reader, file);

        assertThat(parsed(items)).isEmpty();
        assertThat(rejected(items)).singleElement().satisfies(r -> assertThat(r.reason()).contains("nesting depth"));
    }

    @Test
    void emptyFile_isRejected(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("empty.json"), "\n\n");

        List<ImportItem> items = readAll(reader, file);

        assertThat(itemsOfLines(items)).containsExactly(new ImportItem.Rejected(file.toString(), 1,
                "empty file: no Volatility output"));
        assertThat(lineCounts(items)).isEqualTo(new LineCounts(2, 0, 0, 0, 0, 2, 0, 0));
    }

    @Test
    void emptyList_isASnapshotOfNoProcesses(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("none.json"), "[]");

        assertThat(snapshot(readAll(reader, file)).processes()).isEmpty();
    }

    @Test
    void aJsonDocumentFollowedByASecondList_isRejectedWhole_namingWhereTheSecondStarts(@TempDir Path dir)
            throws IOException {
        Path file = Files.writeString(dir.resolve("pslist.json"), "[{\"PID\":1,\"PPID\":0,\"COMM\":\"init\"}]\n"
                + "[{\"PID\":2,\"PPID\":1,\"COMM\":\"sh\"}]\n");

        List<ImportItem> items = readAll(reader, file);

        assertThat(parsed(items)).isEmpty();
        assertThat(rejected(items)).extracting(ImportItem.Rejected::line, ImportItem.Rejected::reason).containsExactly(
                tuple(2L, "not a Volatility JSON document: column 1: a list after the end of the list"));
        assertThat(lineCounts(items)).isEqualTo(new LineCounts(2, 0, 0, 0, 2, 0, 0, 0));
    }

    @Test
    void aJsonDocumentFollowedByGarbage_isRejectedWhole(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("pslist.json"), "[{\"PID\":1,\"PPID\":0,\"COMM\":\"init\"}] x");

        assertThat(rejected(readAll(reader, file))).singleElement().satisfies(r -> assertThat(r.reason())
                .startsWith("not a Volatility JSON document: column 36: not JSON: Unrecognized token 'x'"));
    }

    @Test
    void aRowRejectedInADocument_isNamedOnTheLineItStarts_andOnlyThatLineCountsAsRejected(@TempDir Path dir)
            throws IOException {
        Path file = Files.writeString(dir.resolve("pslist.json"), "\uFEFF[\n  {\"PID\": 1, \"COMM\": \"init\"},\n"
                + "  {\"COMM\": \"nopid\"},\n\n  {\"PID\": 2, \"COMM\": \"sh\"}\n]\n");

        List<ImportItem> items = readAll(reader, file);

        assertThat(rejected(items)).extracting(ImportItem.Rejected::line, ImportItem.Rejected::reason)
                .containsExactly(tuple(3L, "row 2: row without PID"));
        assertThat(snapshot(items).processes()).extracting(ProcessSnapshotEvent.Entry::pid).containsExactly(1, 2);
        assertThat(lineCounts(items)).isEqualTo(new LineCounts(6, 0, 4, 1, 1, 1, 1, 0));
    }

    @Test
    void jsonlLines_mayHoldSeveralRows_endAtACarriageReturn_andAreRejectedWholeForTrailingGarbage(
            @TempDir Path dir) throws IOException {
        String row = "{\"PID\": %d, \"PPID\": 1, \"COMM\": \"p%d\", \"CREATION TIME\": \"2024-05-01T10:00:0%dZ\"}";
        Path file = Files.writeString(dir.resolve("pslist.jsonl"), row.formatted(1, 1, 1) + " "
                + row.formatted(2, 2, 2) + "\r" + row.formatted(3, 3, 3) + "\r" + row.formatted(4, 4, 4) + " ]\r");

        List<ImportItem> items = readAll(reader, file);

        assertThat(snapshot(items).processes()).extracting(ProcessSnapshotEvent.Entry::pid).containsExactly(1, 2, 3);
        assertThat(snapshot(items).complete()).isFalse();
        assertThat(rejected(items)).extracting(ImportItem.Rejected::line).containsExactly(3L);
        assertThat(parsed(items).get(0).timeInferred()).isFalse();
        assertThat(lineCounts(items)).isEqualTo(new LineCounts(3, 0, 2, 1, 1, 0, 0, 0));
    }

    @Test
    void jsonlLinesBeyondTheSnapshotLimit_areEachRejected_notDroppedInSilence(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("pslist.jsonl"), "{\"PID\":1}\n{\"PID\":2}\n{\"PID\":3}\n{\"PID\":4}\n");

        List<ImportItem> items = readAll(new VolatilityReader(new ImportLimits(100, 1000, 2, 8)), file);

        assertThat(snapshot(items).processes()).hasSize(2);
        assertThat(rejected(items)).extracting(ImportItem.Rejected::line).containsExactly(3L, 4L);
        assertThat(lineCounts(items)).isEqualTo(new LineCounts(4, 0, 2, 1, 2, 0, 1, 0));
    }
}
