package io.vmiscope.analysis;

import io.vmiscope.store.DuckDbEventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.vmiscope.analysis.Fixtures.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden tests over an imported DRAKVUF Windows log: cmd.exe starts powershell.exe (pid 3120), which
 * writes, deletes and connects through System's socket events, then exits; pid 3120 is reused by notepad.
 */
class DrakvufWindowsAnalysisTest {

    private static final String VM = "win10";
    private static final long BASE = 1_700_002_000L * SECOND;
    private static final String ROAMING = "\\??\\C:\\Users\\x\\AppData\\Roaming\\";

    @TempDir
    Path dir;

    private DuckDbEventStore store;
    private Analysis analysis;

    @BeforeEach
    void importAndRefresh() {
        store = Fixtures.store(dir);
        Fixtures.importDrakvuf(store, "drakvuf-windows.jsonl", VM);
        analysis = Analysis.open(store);
        analysis.refresh(VM);
    }

    @AfterEach
    void close() {
        analysis.close();
        store.close();
    }

    private ProcessKey powershell() {
        return analysis.processesWithPid(VM, 3120).get(0).key();
    }

    @Test
    void wholeTree_matchesTheGoldenFile_withIdleAndSystemAsRoots() {
        assertThat(Fixtures.render(analysis.processTree(VM), BASE))
                .isEqualTo(Fixtures.text("drakvuf-windows.tree.txt"));
    }

    @Test
    void processEndedByAnotherOnesTerminateCall_endsDuringMonitoring_withItsStatus() {
        ProcessNode explorer = analysis.processesWithPid(VM, 1980).get(0);
        assertThat(explorer.lifetime()).isEqualTo(Lifetime.ENDED_DURING_MONITORING);
        assertThat(explorer.exitCode()).isEqualTo(0xC000013A);
        assertThat(explorer.parent()).isNull();
        assertThat(explorer.ppid()).isEqualTo(1900);
    }

    @Test
    void socketEventsOfSystem_belongToTheOwningProcess() {
        Page<EventRow> network = analysis.processEvents(VM, powershell(), EventQuery.ALL.withKinds("network"), 0, 10);
        assertThat(network.items()).extracting(EventRow::name)
                .containsExactly("TcpCreateAndConnectTcbComplete", "dns");
        assertThat(analysis.processesWithPid(VM, 4).get(0).events()).isZero();
    }

    @Test
    void timeline_mapsObviousNtSyscallsToCategories_andTheRestToOther() {
        Timeline timeline = analysis.timeline(VM, BASE, BASE + 6 * SECOND, 6);
        Timeline.Lane lane = timeline.lanes().stream().filter(l -> l.process().equals(powershell())).findFirst()
                .orElseThrow();
        assertThat(lane.cells()).containsExactly(new Timeline.Cell(1, 7, 4, 0, 1, 1, 0, 1),
                new Timeline.Cell(2, 2, 0, 2, 0, 0, 0, 0), new Timeline.Cell(3, 1, 0, 0, 1, 0, 0, 0));
        assertThat(lane.counts("network", 6)).containsExactly(0, 0, 2, 0, 0, 0);
        assertThat(lane.events()).isEqualTo(10);
    }

    @Test
    void behaviourGraph_groupsWindowsPathsByDirectory_atMostTopNGroups() {
        BehaviourGraph graph = analysis.behaviourGraph(VM, powershell(), 1);
        assertThat(graph.files().top()).extracting(BehaviourGraph.Target::name)
                .containsExactly("\\??\\C:\\Users\\x\\AppData\\Roaming\\run.ps1");
        assertThat(graph.files().groups()).extracting(BehaviourGraph.TargetGroup::group).containsExactly(ROAMING);
        assertThat(graph.files().total()).as("the Downloads group is beyond the top N groups").isEqualTo(3);
        assertThat(analysis.behaviourGraph(VM, powershell(), 2).files().groups())
                .extracting(BehaviourGraph.TargetGroup::group).containsExactly("\\??\\C:\\Users\\x\\Downloads\\");
        assertThat(graph.endpoints().top()).extracting(BehaviourGraph.Target::name).containsExactly("203.0.113.7:443");
        assertThat(graph.endpoints().groups()).extracting(BehaviourGraph.TargetGroup::group)
                .containsExactly("c2.example.net");
    }

    @Test
    void summary_holdsTheIndicatorsOfTheWholeRun() {
        Summary.Indicators total = analysis.summary(VM).total();
        assertThat(total.imagesExecuted().values()).containsExactly(
                "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "C:\\Windows\\System32\\notepad.exe");
        assertThat(total.filesWritten().values()).containsExactly(ROAMING + "run.ps1", ROAMING + "stage2.dat");
        assertThat(total.filesDeleted().values()).containsExactly("\\??\\C:\\Users\\x\\Downloads\\invoice.lnk");
        assertThat(total.hostsContacted().values()).containsExactly("203.0.113.7", "c2.example.net");
        assertThat(analysis.summary(VM).processes()).extracting(Summary.ProcessIndicators::name)
                .containsExactly("powershell.exe", "notepad.exe");
    }

    @Test
    void pidZero_isARootThatNoProcessHasAsParent() {
        ProcessTree tree = analysis.processTree(VM, BASE + 2 * SECOND);
        assertThat(tree.roots()).extracting(ProcessKey::pid).containsExactly(0, 4, 1980);
        assertThat(tree.node(new ProcessKey(VM, 0, BASE)).orElseThrow().children()).isEmpty();
        assertThat(tree.nodes()).extracting(ProcessNode::depth).containsExactly(0, 0, 0, 1, 2);
        assertThat(List.copyOf(tree.byKey().keySet())).hasSize(5);
    }
}
