package io.vmiscope.store.imports;

import io.vmiscope.events.Event;
import io.vmiscope.events.ImportedEvent;
import io.vmiscope.events.ProcessSnapshotEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

/** DRAKVUF lines holding several records, line ends of every kind, and records without a time. */
class DrakvufLinesAndTimesTest {

    private static final long SEC = 1_000_000_000L;
    private static final String SYSCALL = "{\"Plugin\":\"syscall\",\"TimeStamp\":\"10.5\",\"PID\":7,\"PPID\":1,\"TID\":7,"
            + "\"ProcessName\":\"a\",\"Method\":\"NtClose\",\"Syscall\":15,\"Handle\":\"0x4\"}";
    private static final String CREATE = "{\"Plugin\":\"procmon\",\"TimeStamp\":\"11.0\",\"PID\":7,\"PPID\":1,\"TID\":7,"
            + "\"ProcessName\":\"a\",\"Method\":\"NtCreateUserProcess\",\"NewPid\":9,\"NewTid\":10,"
            + "\"ImagePathName\":\"C:\\\\b.exe\",\"Status\":\"0x0\"}";
    private static final String REGMON = "{\"Plugin\":\"regmon\",\"TimeStamp\":\"12.0\",\"PID\":9,\"PPID\":7,"
            + "\"ProcessName\":\"b.exe\",\"Method\":\"NtOpenKey\",\"Key\":\"\\\\REGISTRY\"}";

    private final DrakvufReader reader = new DrakvufReader();

    @TempDir
    Path dir;

    private Path log(String content) throws IOException {
        return Files.writeString(dir.resolve("drakmon.log"), content, StandardCharsets.UTF_8);
    }

    private static String untimedDll(int pid, String dll) {
        return "{\"Plugin\":\"apimon\",\"PID\":" + pid + ",\"PPID\":1,\"ProcessName\":\"p\",\"Event\":\"dll_discovered\","
                + "\"DllName\":\"" + dll + "\"}";
    }

    @Test
    void fiveRecordsOnThreeLines_twoLinesOfTwo_andOneWithTrailingGarbage_giveFourRecordsAndOneRejection()
            throws IOException {
        Path file = log(SYSCALL + " " + CREATE + "\n" + REGMON + SYSCALL + "\n" + REGMON + " trailing garbage\n");

        List<ImportItem> items = readAll(reader, file);

        assertThat(parsed(items)).extracting(ImportItem.Parsed::line, ImportItem.Parsed::ordinal, p -> p.event().kind())
                .containsExactly(tuple(1L, 0, "syscall"), tuple(1L, 1, "fork"), tuple(1L, 2, "exec"),
                        tuple(2L, 0, "imported"), tuple(2L, 1, "syscall"));
        assertThat(parsed(items)).extracting(ImportItem.Parsed::rawRecord)
                .containsExactly(SYSCALL, CREATE, CREATE, REGMON, SYSCALL);
        assertThat(rejected(items)).singleElement().satisfies(r -> {
            assertThat(r.line()).isEqualTo(3);
            assertThat(r.reason()).startsWith("column " + (REGMON.length() + 2) + ": not JSON: Unrecognized token");
        });
        assertThat(lineCounts(items)).isEqualTo(new LineCounts(3, 2, 0, 0, 1, 0, 0, 0));
    }

    @Test
    void aLineWithATruncatedSecondRecord_isRejectedWhole() throws IOException {
        Path file = log(SYSCALL + " {\"Plugin\":\"syscall\",\"TimeStamp\":\"1\n" + REGMON + "\n");

        List<ImportItem> items = readAll(reader, file);

        assertThat(parsed(items)).extracting(ImportItem.Parsed::line).containsExactly(2L);
        assertThat(rejected(items)).extracting(ImportItem.Rejected::line).containsExactly(1L);
        assertThat(rejected(items).get(0).reason()).contains("not JSON: Unexpected end-of-input");
    }

    @Test
    void aBadFieldInTheSecondRecordOfALine_rejectsTheLineWhole_namingTheRecordsColumn() throws IOException {
        Path file = log(SYSCALL + " {\"Plugin\":\"syscall\",\"TimeStamp\":\"1.0\",\"PID\":\"seven\"}\n");

        List<ImportItem> items = readAll(reader, file);

        assertThat(parsed(items)).isEmpty();
        assertThat(rejected(items)).extracting(ImportItem.Rejected::reason)
                .containsExactly("column " + (SYSCALL.length() + 2) + ": PID is not an integer");
    }

    @Test
    void crOnly_crlf_andLfLineEnds_allEndRecords() throws IOException {
        Path file = log(SYSCALL + "\r" + CREATE + "\r\n" + REGMON + "\n\r" + SYSCALL);

        List<ImportItem> items = readAll(reader, file);

        assertThat(parsed(items)).extracting(ImportItem.Parsed::line).containsExactly(1L, 2L, 2L, 3L, 5L);
        assertThat(lineCounts(items)).isEqualTo(new LineCounts(5, 4, 0, 0, 0, 1, 0, 0));
    }

    @Test
    void aByteOrderMark_beforeTheFirstRecord_isIgnored() throws IOException {
        Path file = log("\uFEFF" + SYSCALL + "\n");

        assertThat(rejected(readAll(reader, file))).isEmpty();
        assertThat(parsed(readAll(reader, file))).extracting(ImportItem.Parsed::line).containsExactly(1L);
    }

    @Test
    void startUpListLines_areFoldedIntoOneSnapshot_andEveryLineIsCountedOnce() throws IOException {
        Path file = log("""
                {"Plugin":"procmon","TimeStamp":"1.0","PID":4,"PPID":0,"RunningProcess":"System"}
                {"Plugin":"procmon","TimeStamp":"1.0","PID":7,"PPID":4,"RunningProcess":"a"}

                %s
                not a record
                """.formatted(SYSCALL));

        List<ImportItem> items = readAll(reader, file);

        assertThat(lineCounts(items)).isEqualTo(new LineCounts(5, 1, 2, 1, 1, 1, 0, 0));
        assertThat(parsed(items).get(0).rawRecord().lines()).hasSize(2);
    }

    @Test
    void recordsBeforeTheFirstTime_takeTheTimeOfTheFirstRecordOfTheirProcess_orElseTheFilesFirstTime()
            throws IOException {
        Path file = log(String.join("\n", untimedDll(9, "ntdll.dll"), untimedDll(5, "kernel32.dll"),
                untimedDll(9, "user32.dll"), SYSCALL, CREATE, REGMON) + "\n");

        List<ImportItem> items = readAll(reader, file);

        assertThat(parsed(items)).extracting(ImportItem.Parsed::line, p -> p.event().timeNanos(),
                ImportItem.Parsed::timeInferred).containsExactlyInAnyOrder(
                tuple(1L, 11 * SEC, true), tuple(3L, 11 * SEC, true), // pid 9: created at 11.0 (NewPid)
                tuple(2L, 10 * SEC + SEC / 2, true), // pid 5 never comes again: the file's first time
                tuple(4L, 10 * SEC + SEC / 2, false), tuple(5L, 11 * SEC, false), tuple(5L, 11 * SEC, false),
                tuple(6L, 12 * SEC, false));
        assertThat(lineCounts(items)).isEqualTo(new LineCounts(6, 6, 0, 0, 0, 0, 3, 0));
        assertThat(events(items)).noneMatch(e -> e.timeNanos() == 0);
    }

    @Test
    void untimedRecordsAfterATime_takeThePreviousRecordsTime_andAreMarkedInferred() throws IOException {
        Path file = log(SYSCALL + "\n" + untimedDll(7, "a.dll") + "\n" + REGMON + "\n" + untimedDll(7, "b.dll") + "\n");

        List<ImportItem> items = readAll(reader, file);

        assertThat(parsed(items)).extracting(p -> p.event().timeNanos(), ImportItem.Parsed::timeInferred)
                .containsExactly(tuple(10 * SEC + SEC / 2, false), tuple(10 * SEC + SEC / 2, true),
                        tuple(12 * SEC, false), tuple(12 * SEC, true));
        assertThat(lineCounts(items).timesInferred()).isEqualTo(2);
    }

    @Test
    void aFileWithoutAnyTime_keepsTimeZero_andCountsItsEventsAsWithoutTime() throws IOException {
        Path file = log(untimedDll(9, "a.dll") + "\n" + untimedDll(9, "b.dll") + "\n");

        List<ImportItem> items = readAll(reader, file);

        assertThat(events(items)).extracting(Event::timeNanos).containsExactly(0L, 0L);
        assertThat(parsed(items)).allMatch(ImportItem.Parsed::timeInferred);
        assertThat(lineCounts(items)).isEqualTo(new LineCounts(2, 2, 0, 0, 0, 0, 0, 2));
    }

    @Test
    void moreUntimedRecordsThanMayWait_letTheOldestGoFirst_atTimeZero_whileNoTimeIsKnown() throws IOException {
        Path file = log(String.join("\n", untimedDll(9, "a.dll"), untimedDll(9, "b.dll"), untimedDll(9, "c.dll"),
                CREATE) + "\n");
        DrakvufReader small = new DrakvufReader(new ImportLimits(1024, 4096, 10, 8, 2));

        List<ImportItem> items = readAll(small, file);

        assertThat(parsed(items)).filteredOn(p -> p.event() instanceof ImportedEvent)
                .extracting(p -> ((ImportedEvent) p.event()).attributes().get("DllName"), p -> p.event().timeNanos())
                .containsExactly(tuple("a.dll", 0L), tuple("b.dll", 11 * SEC), tuple("c.dll", 11 * SEC));
        assertThat(lineCounts(items).timesUnknown()).isEqualTo(1);
        assertThat(lineCounts(items).timesInferred()).isEqualTo(2);
    }

    @Test
    void aStartUpListWithoutTime_beforeTheFirstTime_takesTheFirstTime() throws IOException {
        Path file = log("{\"Plugin\":\"procmon\",\"PID\":4,\"PPID\":0,\"RunningProcess\":\"System\"}\n" + SYSCALL + "\n");

        List<ImportItem> items = readAll(reader, file);

        assertThat(parsed(items)).filteredOn(p -> p.event() instanceof ProcessSnapshotEvent).singleElement()
                .satisfies(p -> {
                    assertThat(p.event().timeNanos()).isEqualTo(10 * SEC + SEC / 2);
                    assertThat(p.timeInferred()).isTrue();
                });
        assertThat(lineCounts(items)).isEqualTo(new LineCounts(2, 1, 1, 1, 0, 0, 1, 0));
    }
}
