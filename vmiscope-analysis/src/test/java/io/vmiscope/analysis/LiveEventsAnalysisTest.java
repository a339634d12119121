package io.vmiscope.analysis;

import io.vmiscope.events.Event;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.ExitEvent;
import io.vmiscope.events.FileEvent;
import io.vmiscope.events.ForkEvent;
import io.vmiscope.events.NetworkEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.ProcessSnapshotEvent;
import io.vmiscope.events.SyscallArgument;
import io.vmiscope.events.SyscallEvent;
import io.vmiscope.store.DuckDbEventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.vmiscope.analysis.Fixtures.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

/** Live-shaped events, built with the event records, through {@link DuckDbEventStore#accept} → refresh → queries. */
class LiveEventsAnalysisTest {

    private static final String VM = "demo";
    private static final long T0 = 1_764_000_000L * SECOND;

    @TempDir
    Path dir;

    private static ProcessSnapshotEvent.Entry entry(int pid, int ppid, String name, boolean kernelThread) {
        return new ProcessSnapshotEvent.Entry(pid, pid, ppid, 0, 0, name, List.of(name), 'S', kernelThread, 0);
    }

    private static ProcessSnapshotEvent snapshot(long time, List<ProcessSnapshotEvent.Entry> entries) {
        return new ProcessSnapshotEvent(time, VM, "pslist:5s", ProcessRef.NONE, entries,
                entries.stream().map(ProcessSnapshotEvent.Entry::pid).toList(), List.of(), true, false);
    }

    private static final ProcessRef BASH = new ProcessRef(100, 100, 1, 0, "bash");
    private static final ProcessRef CURL = new ProcessRef(200, 200, 100, 0, "curl");

    /** bash (listed at T0) runs curl (fork + exec), which reads, maps, connects and exits; bash then disappears. */
    private static List<Event> firstPart() {
        List<ProcessSnapshotEvent.Entry> all = List.of(entry(1, 0, "init", false), entry(2, 0, "kthreadd", true),
                entry(100, 1, "bash", false));
        return List.of(
                snapshot(T0, all),
                new ForkEvent(T0 + SECOND, VM, "procevents", BASH, 200, 200, false),
                new ExecEvent(T0 + SECOND + 10, VM, "procevents", new ProcessRef(200, 200, 100, 0, "bash"),
                        "/usr/bin/curl", List.of("curl", "https://example.org/"), true),
                new SyscallEvent(T0 + SECOND + 20, VM, "syscalls:mmap", CURL, "mmap", 9,
                        List.of(new SyscallArgument("len", "SIZE", 4096, "4096", false, false)), "0x7f0000"),
                new FileEvent(T0 + SECOND + 30, VM, "syscalls:file", CURL, "open", "/etc/hosts", null, "O_RDONLY",
                        "openat"),
                new FileEvent(T0 + SECOND + 40, VM, "syscalls:file", CURL, "open", "/home/u/out.html", null,
                        "O_WRONLY|O_CREAT|O_TRUNC", "openat"),
                new SyscallEvent(T0 + SECOND + 50, VM, "syscalls:connect", CURL, "connect", 42, List.of(), "0"),
                new NetworkEvent(T0 + SECOND + 50, VM, "syscalls:net", CURL, "connect", "93.184.216.34:443", 3,
                        "connect"),
                new ExitEvent(T0 + 2 * SECOND, VM, "procevents", CURL, 0, 0, false),
                snapshot(T0 + 5 * SECOND, List.of(entry(1, 0, "init", false), entry(2, 0, "kthreadd", true))));
    }

    /** Later: a new bash-less process 200 (pid reuse) appears in a snapshot and binds a port. */
    private static List<Event> secondPart() {
        ProcessRef server = new ProcessRef(200, 200, 1, 33, "httpd");
        return List.of(
                snapshot(T0 + 10 * SECOND, List.of(entry(1, 0, "init", false), entry(2, 0, "kthreadd", true),
                        new ProcessSnapshotEvent.Entry(200, 200, 1, 33, 33, "httpd", List.of("httpd", "-k"), 'S',
                                false, 0))),
                new NetworkEvent(T0 + 11 * SECOND, VM, "syscalls:net", server, "bind", "0.0.0.0:8080", 4, "bind"),
                new NetworkEvent(T0 + 12 * SECOND, VM, "syscalls:net", server, "accept", "198.51.100.20:51000 -> 10.0.0.2:8080",
                        5, "accept4"));
    }

    private static void store(DuckDbEventStore store, List<Event> events) {
        events.forEach(store::accept);
        store.flush();
    }

    @Test
    void liveEvents_giveLifetimesFromSnapshotsForksExecsAndExits() {
        try (DuckDbEventStore store = Fixtures.store(dir); Analysis analysis = Analysis.open(store)) {
            store(store, firstPart());
            analysis.refresh(VM);

            ProcessNode curl = analysis.processesWithPid(VM, 200).get(0);
            assertThat(curl.lifetime()).isEqualTo(Lifetime.STARTED_AND_ENDED);
            assertThat(curl.name()).isEqualTo("curl");
            assertThat(curl.commandLine()).isEqualTo("curl https://example.org/");
            assertThat(curl.parent()).isEqualTo(new ProcessKey(VM, 100, T0));
            ProcessNode bash = analysis.processesWithPid(VM, 100).get(0);
            assertThat(bash.lifetime()).isEqualTo(Lifetime.ENDED_DURING_MONITORING);
            assertThat(bash.endReason()).isEqualTo("disappeared");
            assertThat(bash.endNanos()).isEqualTo(T0 + 5 * SECOND);
            assertThat(analysis.processesWithPid(VM, 2).get(0).kernelThread()).isTrue();
            assertThat(analysis.processTree(VM, T0 + 6 * SECOND).nodes()).extracting(ProcessNode::pid)
                    .containsExactly(1, 2);

            assertThat(analysis.processEvents(VM, curl.key(), EventQuery.ALL.withKinds("syscall"), 0, 10).items())
                    .extracting(EventRow::name).containsExactly("mmap", "connect");
            Timeline.Lane lane = analysis.timeline(VM, T0, T0 + 4 * SECOND, 4).lanes().stream()
                    .filter(l -> l.process().equals(curl.key())).findFirst().orElseThrow();
            assertThat(lane.counts("memory", 4)).containsExactly(0, 1, 0, 0);
            assertThat(lane.counts("network", 4)).containsExactly(0, 2, 0, 0);
            assertThat(lane.counts("process", 4)).containsExactly(0, 1, 1, 0);

            BehaviourGraph graph = analysis.behaviourGraph(VM, curl.key(), 10);
            assertThat(graph.files().top()).extracting(BehaviourGraph.Target::name, BehaviourGraph.Target::access)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("/etc/hosts", "read"),
                            org.assertj.core.groups.Tuple.tuple("/home/u/out.html", "write"));
            assertThat(analysis.summary(VM).total().hostsContacted().values()).containsExactly("93.184.216.34");
            assertThat(analysis.summary(VM).total().filesWritten().values()).containsExactly("/home/u/out.html");
        }
    }

    @Test
    void incrementalRefresh_addsNewEvents_andGivesWhatAFullRefreshGives() {
        try (DuckDbEventStore store = Fixtures.store(dir); Analysis analysis = Analysis.open(store)) {
            store(store, firstPart());
            assertThat(analysis.refresh(VM).mode()).isEqualTo(Refresh.Mode.FULL);
            Timeline before = analysis.timeline(VM, T0, T0 + 20 * SECOND, 20);

            store(store, secondPart());
            Refresh incremental = analysis.refresh(VM);
            assertThat(incremental.mode()).isEqualTo(Refresh.Mode.INCREMENTAL);
            assertThat(incremental.eventsAnalysed()).isEqualTo(3);

            List<ProcessNode> twoHundreds = analysis.processesWithPid(VM, 200);
            assertThat(twoHundreds).extracting(ProcessNode::name).containsExactly("curl", "httpd");
            ProcessNode httpd = twoHundreds.get(1);
            assertThat(httpd.lifetime()).isEqualTo(Lifetime.STARTED_STILL_RUNNING);
            assertThat(httpd.origin()).isEqualTo("snapshot");
            assertThat(httpd.events()).isEqualTo(2);
            assertThat(analysis.summary(VM).total().hostsContacted().values())
                    .containsExactly("198.51.100.20", "93.184.216.34");
            Timeline after = analysis.timeline(VM, T0, T0 + 20 * SECOND, 20);
            assertThat(after.lanes()).hasSize(before.lanes().size() + 1);

            Tables incrementally = Tables.of(analysis, VM);
            try (DuckDbEventStore copy = DuckDbEventStore.open(dir.resolve("full.duckdb"),
                    io.vmiscope.store.StoreOptions.defaults()); Analysis full = Analysis.open(copy)) {
                List<Event> all = new ArrayList<>(firstPart());
                all.addAll(secondPart());
                store(copy, all);
                assertThat(full.refresh(VM).mode()).isEqualTo(Refresh.Mode.FULL);
                assertThat(Tables.of(full, VM)).isEqualTo(incrementally);
            }
        }
    }

    @Test
    void lateOlderEvents_makeTheNextRefreshFull() {
        try (DuckDbEventStore store = Fixtures.store(dir); Analysis analysis = Analysis.open(store)) {
            store(store, secondPart());
            analysis.refresh(VM);
            store(store, firstPart());
            assertThat(analysis.refresh(VM).mode()).isEqualTo(Refresh.Mode.FULL);
            assertThat(analysis.processesWithPid(VM, 200)).extracting(ProcessNode::name)
                    .containsExactly("curl", "httpd");
        }
    }

    @Test
    void parentCycleInASnapshot_isCutIntoATree_withEveryProcessOnce() {
        try (DuckDbEventStore store = Fixtures.store(dir); Analysis analysis = Analysis.open(store)) {
            store(store, List.of(snapshot(T0, List.of(entry(5, 6, "a", false), entry(6, 5, "b", false),
                    entry(7, 7, "self", false)))));
            analysis.refresh(VM);
            ProcessTree tree = analysis.processTree(VM, T0);
            assertThat(tree.nodes()).extracting(ProcessNode::pid).containsExactly(7, 5, 6);
            assertThat(tree.roots()).extracting(ProcessKey::pid).containsExactly(7, 5);
            assertThat(tree.node(new ProcessKey(VM, 6, T0)).orElseThrow().depth()).isEqualTo(1);
        }
    }

    /** Everything a refresh derived for one VM, as comparable values. */
    private record Tables(List<ProcessNode> processes, Timeline timeline, Summary summary) {

        static Tables of(Analysis analysis, String vm) {
            return new Tables(analysis.processTree(vm).nodes(), analysis.timeline(vm, T0, T0 + 20 * SECOND, 40),
                    analysis.summary(vm));
        }
    }
}
