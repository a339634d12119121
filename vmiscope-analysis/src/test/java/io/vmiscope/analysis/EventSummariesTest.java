package io.vmiscope.analysis;

import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.SyscallArgument;
import io.vmiscope.events.SyscallEvent;
import io.vmiscope.store.EventColumns;
import io.vmiscope.store.EventIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The names and summaries of every imported fixture's events against a golden table (action, kind → process,
 * name, summary), and the rules' handling of hostile, long, unknown and empty records.
 */
class EventSummariesTest {

    private static final Path ACTUAL = Path.of("target", "summaries.actual.txt");

    @RegisterExtension
    static final ImportedFixtures.Analysed FIXTURES = new ImportedFixtures.Analysed();

    private static List<EventRow> events(String vm) {
        return FIXTURES.analysis().events(vm, null, EventQuery.ALL, 0, Analysis.MAX_PAGE).items();
    }

    /**
     * One golden line per event: VM, action, kind | process | name | summary; sorted, so that it holds whatever
     * times the importer gives untimed records.
     */
    private static List<String> table() {
        List<String> lines = new ArrayList<>();
        for (String vm : ImportedFixtures.VMS) {
            for (EventRow e : events(vm)) {
                lines.add(vm + " " + e.action() + " " + e.kind() + " | " + e.processName() + " | " + e.label() + " | "
                        + e.summary());
            }
        }
        lines.sort(null);
        return lines;
    }

    @Test
    void everyImportedEvent_readsAsTheGoldenTableSays() throws IOException {
        List<String> actual = table();
        List<String> golden = Files.readAllLines(ImportedFixtures.path("summaries.golden.txt"), StandardCharsets.UTF_8);
        if (!actual.equals(golden)) {
            Files.createDirectories(ACTUAL.getParent());
            Files.write(ACTUAL, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).as("differences are in " + ACTUAL.toAbsolutePath()).containsExactlyElementsOf(golden);
    }

    @Test
    void everyPluginOfTheFixtures_hasANonEmptyNameAndSummary() {
        List<String> plugins = new ArrayList<>();
        for (String vm : ImportedFixtures.VMS) {
            for (EventRow e : events(vm)) {
                assertThat(e.label()).as(e.action() + " " + e.fieldsJson()).isNotBlank();
                assertThat(e.summary()).as(e.action() + " " + e.fieldsJson()).isNotBlank().doesNotContain("(no fields)");
                plugins.add(e.action());
            }
        }
        assertThat(plugins).contains("drakvuf:syscall", "drakvuf:sysret", "drakvuf:apimon", "drakvuf:procmon",
                "drakvuf:filetracer", "drakvuf:filedelete", "drakvuf:fileextractor", "drakvuf:regmon",
                "drakvuf:socketmon", "drakvuf:tlsmon", "drakvuf:memdump", "drakvuf:procdump", "drakvuf:inject",
                "drakvuf:dkommon", "volatility:windows.pslist", "volatility:linux.pstree");
    }

    @Test
    void apimonCalls_showTheMethodItsArgumentsAndResult_insteadOfTheRecordType() {
        EventSummaries.Text text = EventSummaries.describe("imported", "drakvuf:apimon", "apimon", """
                {"tool":"drakvuf","source":"apimon","method":"LdrLoadDll","attributes":{"Event":"api_called",
                 "ReturnValue":"0x0","Arguments":["Arg0=0x0","Arg2=0x14fd50:\\"wininet.dll\\""]}}""");
        assertThat(text).isEqualTo(new EventSummaries.Text("LdrLoadDll",
                "LdrLoadDll(Arg0=0x0, Arg2=0x14fd50:\"wininet.dll\") = 0x0"));
    }

    @Test
    void controlCharacters_areShownEscaped_andTheSummaryIsCapped() {
        String hostile = "evil\u001b[31m\u0007\u202eexe.txt" + "x".repeat(500);
        EventSummaries.Text text = EventSummaries.describe("file", "syscalls:file", "open\nnow",
                "{\"operation\":\"open\\nnow\",\"path\":\"" + hostile.replace("\u001b", "\\u001b")
                        .replace("\u0007", "\\u0007") + "\"}");
        assertThat(text.name()).isEqualTo("open\\x0anow");
        assertThat(text.summary()).startsWith("evil\\x1b[31m\\x07\\u202eexe.txt").endsWith("…")
                .hasSize(EventSummaries.MAX_SUMMARY_CHARS + 1).doesNotContainPattern("[\\p{Cntrl}]");
    }

    @Test
    void anUnknownPlugin_isNamedByItsMethod_andSummarisedByItsOwnFields_notItsHeader() {
        EventSummaries.Text text = EventSummaries.describe("imported", "drakvuf:futuremon", "futuremon", """
                {"tool":"drakvuf","source":"futuremon","method":"","attributes":{"Plugin":"futuremon",
                 "TimeStamp":"1.0","PID":4,"ProcessName":"System","Method":"","Target":"x","Depth":3}}""");
        assertThat(text).isEqualTo(new EventSummaries.Text("futuremon", "Target=x, Depth=3"));
    }

    @Test
    void aRecordWithoutFields_stillHasANameAndASummary() {
        assertThat(EventSummaries.describe("imported", "drakvuf:apimon", "apimon", "not json"))
                .isEqualTo(new EventSummaries.Text("apimon", "(no fields)"));
        assertThat(EventSummaries.describe("fork", "procevents", null, "{}").name()).isEqualTo("fork");
    }

    @Test
    void ntstatusExitCodes_areHex_andLinuxOnesDecimal() {
        assertThat(EventSummaries.describe("exit", "drakvuf:procmon", null, "{\"exitCode\":-1073741510}").summary())
                .isEqualTo("exit code 0xC000013A");
        assertThat(EventSummaries.describe("exit", "procevents", null, "{\"exitCode\":1,\"signal\":0}").summary())
                .isEqualTo("exit code 1");
    }

    @Test
    void aLiveEvent_asStored_readsByItsDecodedArguments_andItsOwnProcessName() {
        SyscallEvent event = new SyscallEvent(1, "demo", "syscalls:openat", new ProcessRef(709, 709, 110, 0, "sh"),
                "openat", 257, List.of(new SyscallArgument("dfd", "DIRFD", -100, "AT_FDCWD", false, false),
                new SyscallArgument("filename", "PATH", 1, "\"/tmp/f1\"", false, false)), "4");
        String fields = EventColumns.fieldsJson(event);
        EventRow row = EventRow.live(new EventIds().live(event, fields), event, fields);
        assertThat(row.label()).isEqualTo("openat");
        assertThat(row.summary()).isEqualTo("openat(AT_FDCWD, \"/tmp/f1\") = 4");
        assertThat(row.processName()).isEqualTo("sh");
        assertThat(row.processPath()).isNull();
        assertThat(row.source()).isEqualTo("live");
        assertThat(row.id()).hasSize(32);
    }
}
