package io.vmiscope.store.imports;

import io.vmiscope.events.Event;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.ExitEvent;
import io.vmiscope.events.FileEvent;
import io.vmiscope.events.ForkEvent;
import io.vmiscope.events.ImportedEvent;
import io.vmiscope.events.NetworkEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.ProcessSnapshotEvent;
import io.vmiscope.events.SyscallArgument;
import io.vmiscope.events.SyscallEvent;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.vmiscope.store.imports.Fixtures.events;
import static io.vmiscope.store.imports.Fixtures.itemsOfLines;
import static io.vmiscope.store.imports.Fixtures.lineCounts;
import static io.vmiscope.store.imports.Fixtures.parsed;
import static io.vmiscope.store.imports.Fixtures.readAll;
import static io.vmiscope.store.imports.Fixtures.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class DrakvufReaderTest {

    private static final long SEC = 1_000_000_000L;
    private static final ProcessRef CMD = new ProcessRef(2044, 2048, 1980, 1, "cmd.exe");
    private static final ProcessRef POWERSHELL = new ProcessRef(3120, 3124, 2044, 1, "powershell.exe");

    private final DrakvufReader reader = new DrakvufReader();

    @Nested
    class WindowsJsonLog {

        private final List<ImportItem> items = readAll(reader, Fixtures.path("drakmon-windows.jsonl"));
        private final List<Event> events = events(items);

        @Test
        void everyLineIsImported_theStartUpListAsOneSnapshot_andAProcessCreationAsTwoEvents() {
            assertThat(rejected(items)).isEmpty();
            assertThat(events).extracting(Event::kind).containsExactly(
                    "processes", "syscall", "syscall", "syscall", "fork", "exec", "imported", "file", "network",
                    "network", "imported", "imported", "imported", "imported", "imported", "imported", "exit", "exit",
                    "imported");
            assertThat(parsed(items)).extracting(ImportItem.Parsed::line).containsExactly(
                    1L, 4L, 5L, 6L, 7L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
            assertThat(events).allSatisfy(e -> assertThat(e.vm()).isEqualTo("case-42"));
            assertThat(parsed(items)).allSatisfy(p -> assertThat(p.file()).endsWith("drakmon-windows.jsonl"));
        }

        @Test
        void startUpList_withoutCommonHeader_becomesOneSnapshot_withTheParentRelations() {
            ImportItem.Parsed item = parsed(items).get(0);
            ProcessSnapshotEvent snapshot = (ProcessSnapshotEvent) item.event();

            assertThat(snapshot.action()).isEqualTo("drakvuf:procmon");
            assertThat(snapshot.timeNanos()).isEqualTo(1_700_000_000L * SEC + 100_000);
            assertThat(snapshot.processes()).extracting(ProcessSnapshotEvent.Entry::pid,
                    ProcessSnapshotEvent.Entry::ppid, ProcessSnapshotEvent.Entry::name).containsExactly(
                    tuple(4, 0, "System"), tuple(1980, 4, "explorer.exe"), tuple(2044, 1980, "cmd.exe"));
            assertThat(snapshot.appeared()).containsExactly(4, 1980, 2044);
            assertThat(snapshot.complete()).isTrue();
            assertThat(item.rawRecord().lines()).hasSize(3).allMatch(l -> l.contains("RunningProcess"));
        }

        @Test
        void syscall_takesNameFromMethod_numberFromSyscall_andTheRemainingFieldsAsArguments() {
            SyscallEvent call = (SyscallEvent) events.get(1);

            assertThat(call.name()).isEqualTo("NtCreateFile");
            assertThat(call.number()).isEqualTo(85);
            assertThat(call.process()).isEqualTo(CMD);
            assertThat(call.action()).isEqualTo("drakvuf:syscall");
            assertThat(call.timeNanos()).isEqualTo(1_700_000_001L * SEC + 1_000);
            assertThat(call.result()).isNull();
            assertThat(call.arguments()).containsExactly(
                    new SyscallArgument("FileHandle", "raw", 0, "0xfffff00012345678", false, false),
                    new SyscallArgument("DesiredAccess", "raw", 0, "0x120089", false, false),
                    new SyscallArgument("ObjectAttributes", "raw", 0, "\\??\\C:\\Users\\x\\evil.dll", false, false));
        }

        @Test
        void sysret_acceptsRetAsNumber_olderLogs_andAsHexString_newerLogs() {
            SyscallEvent numeric = (SyscallEvent) events.get(2);
            SyscallEvent hex = (SyscallEvent) events.get(3);

            assertThat(numeric.result()).isEqualTo("0");
            assertThat(numeric.arguments()).isEmpty();
            assertThat(numeric.process().uid()).as("UserName SessionID variant").isEqualTo(1);
            assertThat(hex.result()).isEqualTo("0xC0000008");
            assertThat(hex.name()).isEqualTo("NtClose");
        }

        @Test
        void ntCreateUserProcess_givesAForkFromTheCreator_andAnExecOfTheNewProcess() {
            ForkEvent fork = (ForkEvent) events.get(4);
            ExecEvent exec = (ExecEvent) events.get(5);

            assertThat(fork.process()).isEqualTo(CMD);
            assertThat(fork.childPid()).isEqualTo(3120);
            assertThat(fork.childTid()).isEqualTo(3124);
            assertThat(fork.thread()).isFalse();
            assertThat(exec.process()).isEqualTo(new ProcessRef(3120, 3124, 2044, 1, "powershell.exe"));
            assertThat(exec.path()).isEqualTo("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe");
            assertThat(exec.argv()).containsExactly("powershell.exe -enc SQBFAFgA");
            assertThat(exec.timeNanos()).isEqualTo(1_700_000_002L * SEC + 500_000_000L);
        }

        @Test
        void failedProcessCreation_isKeptAsImported_notAsAPhantomProcess() {
            ImportedEvent failed = (ImportedEvent) events.get(6);

            assertThat(failed.source()).isEqualTo("procmon");
            assertThat(failed.method()).isEqualTo("NtCreateUserProcess");
            assertThat(failed.attributes()).containsEntry("Status", "0xC0000034");
        }

        @Test
        void filetracer_givesAFileEvent_withOperationAndFileName() {
            FileEvent file = (FileEvent) events.get(7);

            assertThat(file.operation()).isEqualTo("FILE_CREATE");
            assertThat(file.path()).isEqualTo("\\??\\C:\\Users\\x\\AppData\\Roaming\\run.ps1");
            assertThat(file.syscall()).isEqualTo("NtCreateFile");
            assertThat(file.target()).isNull();
            assertThat(file.process()).isEqualTo(POWERSHELL);
        }

        @Test
        void socketmon_givesANetworkEvent_ofTheOwner_withRemoteAddress_orDnsName() {
            NetworkEvent connect = (NetworkEvent) events.get(8);
            NetworkEvent dns = (NetworkEvent) events.get(9);

            assertThat(connect.address()).isEqualTo("203.0.113.7:443");
            assertThat(connect.operation()).isEqualTo("TcpCreateAndConnectTcbComplete");
            assertThat(connect.process()).as("the owner, not the System context")
                    .isEqualTo(new ProcessRef(3120, -1, -1, -1, "powershell.exe"));
            assertThat(connect.fd()).isEqualTo(-1);
            assertThat(dns.operation()).isEqualTo("dns");
            assertThat(dns.address()).isEqualTo("c2.example.net");
            assertThat(dns.process()).isEqualTo(POWERSHELL);
        }

        @Test
        void regmonApimonMemdumpDkommonAndUnknownPlugins_keepEveryFieldAsImported() {
            List<ImportedEvent> imported = events.stream().filter(ImportedEvent.class::isInstance)
                    .map(ImportedEvent.class::cast).skip(1).toList();

            assertThat(imported).extracting(ImportedEvent::tool, ImportedEvent::source, ImportedEvent::action)
                    .containsExactly(tuple("drakvuf", "regmon", "drakvuf:regmon"),
                            tuple("drakvuf", "apimon", "drakvuf:apimon"), tuple("drakvuf", "apimon", "drakvuf:apimon"),
                            tuple("drakvuf", "apimon", "drakvuf:apimon"),
                            tuple("drakvuf", "memdump", "drakvuf:memdump"),
                            tuple("drakvuf", "dkommon", "drakvuf:dkommon"),
                            tuple("drakvuf", "futureplugin", "drakvuf:futureplugin"));
            assertThat(imported.get(0).attributes()).containsEntry("ValueName", "updater")
                    .containsKeys("Plugin", "TimeStamp", "Key", "Value");
            assertThat(imported.get(1).attributes()).containsEntry("Arguments",
                    List.of("Arg0=0x0", "Arg1=0x1000", "Arg2=0x3000", "Arg3=0x40"));
            assertThat(imported.get(4).attributes()).containsEntry("DumpReason", "Possible process hollowing");
            assertThat(imported.get(5).attributes()).containsEntry("HiddenPID", 3400);
            assertThat(imported.get(6).attributes()).containsEntry("Whatever", Map.of("nested", List.of(1, 2)));
        }

        @Test
        void apimonDllEvents_withoutTimeStamp_takeThePreviousRecordsTime() {
            ImportedEvent called = (ImportedEvent) events.get(11);
            ImportedEvent loaded = (ImportedEvent) events.get(12);
            ImportedEvent discovered = (ImportedEvent) events.get(13);

            assertThat(loaded.attributes()).containsEntry("Event", "dll_loaded").doesNotContainKey("TimeStamp");
            assertThat(discovered.attributes()).containsEntry("Event", "dll_discovered");
            assertThat(loaded.timeNanos()).isEqualTo(called.timeNanos()).isEqualTo(1_700_000_007L * SEC);
            assertThat(discovered.timeNanos()).isEqualTo(called.timeNanos());
            assertThat(loaded.method()).isEmpty();
            assertThat(loaded.process()).isEqualTo(POWERSHELL);
        }

        @Test
        void ntTerminateProcess_givesAnExit_ofExitPid_withTheNtStatus() {
            ExitEvent own = (ExitEvent) events.get(16);
            ExitEvent other = (ExitEvent) events.get(17);

            assertThat(own.process()).isEqualTo(POWERSHELL);
            assertThat(own.exitCode()).isZero();
            assertThat(other.process()).as("cmd.exe ends explorer.exe").isEqualTo(new ProcessRef(1980, -1, -1, -1, ""));
            assertThat(other.exitCode()).isEqualTo((int) 0xC000013AL);
        }

        @Test
        void rawRecord_isTheOriginalLine() {
            ImportItem.Parsed exec = parsed(items).get(5);

            assertThat(exec.rawRecord()).startsWith("{\"Plugin\":\"procmon\"").contains("\"NewPid\":3120");
        }
    }

    @Nested
    class LinuxJsonLog {

        private final List<ImportItem> items = readAll(reader, Fixtures.path("drakmon-linux.jsonl"));
        private final List<Event> events = events(items);

        @Test
        void startUpList_withBitness_andProcessEvents_allImported() {
            assertThat(rejected(items)).isEmpty();
            assertThat(events).extracting(Event::kind)
                    .containsExactly("processes", "fork", "exec", "fork", "syscall", "exit", "exit");
            ProcessSnapshotEvent snapshot = (ProcessSnapshotEvent) events.get(0);
            assertThat(snapshot.processes()).extracting(ProcessSnapshotEvent.Entry::pid,
                    ProcessSnapshotEvent.Entry::ppid, ProcessSnapshotEvent.Entry::name)
                    .containsExactly(tuple(1, 0, "systemd"), tuple(2, 0, "kthreadd"), tuple(612, 1, "sshd"));
        }

        @Test
        void kernelClone_isAFork_toNewPid_orAThread_underCloneThread() {
            ForkEvent process = (ForkEvent) events.get(1);
            ForkEvent thread = (ForkEvent) events.get(3);

            assertThat(process.process()).isEqualTo(new ProcessRef(700, 700, 612, 0, "sshd"));
            assertThat(process.childPid()).isEqualTo(701);
            assertThat(process.thread()).isFalse();
            assertThat(thread.childPid()).isEqualTo(701);
            assertThat(thread.childTid()).isEqualTo(702);
            assertThat(thread.thread()).isTrue();
        }

        @Test
        void doExecveatCommon_isAnExec_ofTheRecordsProcess_withUidFromTheUidVariant() {
            ExecEvent exec = (ExecEvent) events.get(2);

            assertThat(exec.process()).isEqualTo(new ProcessRef(701, 701, 700, 1000, "sshd"));
            assertThat(exec.path()).isEqualTo("/bin/bash");
            assertThat(exec.argv()).containsExactly("/bin/bash -c id");
            assertThat(exec.action()).isEqualTo("drakvuf:procmon");
        }

        @Test
        void linuxSyscall_skipsThreadNameAndType_andKeepsTheArguments() {
            SyscallEvent call = (SyscallEvent) events.get(4);

            assertThat(call.name()).isEqualTo("openat");
            assertThat(call.number()).isEqualTo(257);
            assertThat(call.arguments()).extracting(SyscallArgument::name, SyscallArgument::text).containsExactly(
                    tuple("dfd", "0xffffff9c"), tuple("filename", "/etc/passwd"), tuple("flags", "0x0"));
        }

        @Test
        void doExit_ofAThread_isMarkedThread_andOfTheLeader_isNot() {
            ExitEvent threadExit = (ExitEvent) events.get(5);
            ExitEvent leaderExit = (ExitEvent) events.get(6);

            assertThat(threadExit.thread()).isTrue();
            assertThat(threadExit.process().tid()).isEqualTo(702);
            assertThat(leaderExit.thread()).isFalse();
            assertThat(leaderExit.exitCode()).isEqualTo(256);
        }

        @Test
        void theEventsBuildAProcessTree_fromSnapshotForkAndExec() {
            ProcessSnapshotEvent snapshot = (ProcessSnapshotEvent) events.get(0);
            ForkEvent fork = (ForkEvent) events.get(1);
            ExecEvent exec = (ExecEvent) events.get(2);

            assertThat(snapshot.processes()).anySatisfy(p -> assertThat(p.pid()).isEqualTo(fork.process().ppid()));
            assertThat(exec.process().pid()).isEqualTo(fork.childPid());
            assertThat(exec.process().ppid()).isEqualTo(fork.process().pid());
        }
    }

    @Test
    void textFormat_isParsedPerLine_withQuotedValues_andSessionIdOrUid() {
        List<ImportItem> items = readAll(reader, Fixtures.path("drakmon.txt"));
        List<Event> events = events(items);

        assertThat(rejected(items)).isEmpty();
        assertThat(events).extracting(Event::kind).containsExactly("fork", "exec", "syscall", "syscall", "imported");
        ExecEvent exec = (ExecEvent) events.get(1);
        assertThat(exec.process()).isEqualTo(new ProcessRef(3120, 3124, 1980, 1, "cmd.exe"));
        assertThat(exec.argv()).containsExactly("cmd.exe /c dir C:\\");
        assertThat(exec.path()).isEqualTo("C:\\Windows\\System32\\cmd.exe");
        assertThat(exec.timeNanos()).isEqualTo(1_700_000_200L * SEC + 1_000);
        assertThat(((ForkEvent) events.get(0)).process()).isEqualTo(new ProcessRef(1980, -1, 4, 1, "explorer.exe"));
        SyscallEvent call = (SyscallEvent) events.get(2);
        assertThat(call.action()).isEqualTo("drakvuf:syscall");
        assertThat(call.process()).isEqualTo(new ProcessRef(701, -1, 700, 1000, "bash"));
        assertThat(call.number()).isEqualTo(257);
        assertThat(call.arguments()).extracting(SyscallArgument::name, SyscallArgument::text)
                .containsExactly(tuple("filename", "/tmp/my file"), tuple("flags", "0x241"));
        assertThat(((SyscallEvent) events.get(3)).result()).isEqualTo("0x3");
        ImportedEvent reg = (ImportedEvent) events.get(4);
        assertThat(reg.attributes()).containsEntry("Key", "\\REGISTRY\\MACHINE\\SOFTWARE")
                .containsEntry("ValueName", "Path with spaces").containsEntry("UserName", "SessionID");
    }

    @Nested
    class MalformedLines {

        @TempDir
        Path dir;

        @Test
        void badLines_areRejectedWithTheirLineAndReason_andEveryGoodLineIsStillImported() throws IOException {
            Path file = dir.resolve("drakmon.log");
            List<String> lines = Files.readAllLines(Fixtures.path("drakmon-malformed.jsonl"));
            String huge = "{\"Plugin\":\"syscall\",\"Pad\":\"" + "A".repeat(1024 * 1024) + "\"}";
            try (Stream<String> all = Stream.concat(lines.stream(), Stream.of(huge, lines.get(0)))) {
                Files.write(file, all.toList(), StandardCharsets.UTF_8);
            }

            List<ImportItem> items = readAll(reader, file);

            assertThat(parsed(items)).extracting(ImportItem.Parsed::line).containsExactly(1L, 10L, 12L);
            assertThat(rejected(items)).extracting(ImportItem.Rejected::line).containsExactly(2L, 3L, 4L, 5L, 6L, 8L,
                    9L, 11L);
            assertThat(rejected(items)).extracting(ImportItem.Rejected::reason).satisfiesExactly(
                    r -> assertThat(r).isEqualTo("neither a JSON object nor a DRAKVUF text record"),
                    r -> assertThat(r).startsWith("column 46: not JSON: Unexpected end-of-input"),
                    r -> assertThat(r).isEqualTo("no Plugin field"),
                    r -> assertThat(r).isEqualTo("PID is not an integer"),
                    r -> assertThat(r).isEqualTo("TimeStamp is not <seconds>.<fraction>"),
                    r -> assertThat(r).isEqualTo("text line does not start with [PLUGIN]"),
                    r -> assertThat(r).isEqualTo("Plugin is not a plugin name"),
                    r -> assertThat(r).isEqualTo("line longer than 65536 characters (1048605)"));
            assertThat(lineCounts(items)).isEqualTo(new LineCounts(12, 3, 0, 0, 8, 1, 0, 0));
            assertThat(rejected(items))
                    .allSatisfy(r -> assertThat(r.reason()).doesNotContain("\n").hasSizeLessThan(400));
        }

        @Test
        void aLineLongerThanTheLimit_isRejectedInPlace_andSplitsTheStartUpListAroundIt() throws IOException {
            Path file = dir.resolve("drakmon.log");
            Files.writeString(file, """
                    {"Plugin":"procmon","TimeStamp":"1.0","PID":1,"PPID":0,"RunningProcess":"a"}
                    {"Plugin":"procmon","TimeStamp":"1.0","PID":2,"PPID":1,"RunningProcess":"b"}
                    {"Plugin":"procmon","TimeStamp":"1.0","PID":3,"PPID":1,"RunningProcess":"cccccccccccccccccccccccccc\
                    cccccccccccccccccccccccccccccccccccccccccccccc"}
                    {"Plugin":"procmon","TimeStamp":"1.0","PID":4,"PPID":1,"RunningProcess":"d"}
                    """);
            DrakvufReader small = new DrakvufReader(new ImportLimits(100, 1000, 10, 8));

            List<ImportItem> items = itemsOfLines(readAll(small, file));

            assertThat(items).hasSize(3);
            assertThat(((ProcessSnapshotEvent) ((ImportItem.Parsed) items.get(0)).event()).appeared())
                    .containsExactly(1, 2);
            assertThat(items.get(1)).isEqualTo(new ImportItem.Rejected(file.toString(), 3,
                    "line longer than 100 characters (147)"));
            assertThat(((ImportItem.Parsed) items.get(2)).line()).isEqualTo(4);
        }

        @Test
        void aStartUpListLongerThanTheLimit_isSplit_intoSnapshotsMarkedIncomplete() throws IOException {
            Path file = dir.resolve("drakmon.log");
            StringBuilder log = new StringBuilder();
            for (int pid = 1; pid <= 5; pid++) {
                log.append("{\"Plugin\":\"procmon\",\"TimeStamp\":\"1.0\",\"PID\":").append(pid)
                        .append(",\"PPID\":0,\"RunningProcess\":\"p\"}\n");
            }
            Files.writeString(file, log);

            List<ImportItem> items = readAll(new DrakvufReader(new ImportLimits(200, 1000, 2, 8)), file);

            assertThat(events(items)).map(ProcessSnapshotEvent.class::cast)
                    .extracting(ProcessSnapshotEvent::appeared, ProcessSnapshotEvent::complete)
                    .containsExactly(tuple(List.of(1, 2), false), tuple(List.of(3, 4), false),
                            tuple(List.of(5), false));
            assertThat(parsed(items)).extracting(ImportItem.Parsed::line).containsExactly(1L, 3L, 5L);
        }
    }
}
