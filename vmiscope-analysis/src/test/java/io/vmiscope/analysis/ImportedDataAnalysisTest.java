package io.vmiscope.analysis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Imported real-world-shaped logs as a user reads them: processes by their base names with the whole path
 * kept, events of records without a process name attributed through the tree, and the behaviour graph of
 * the whole VM.
 */
class ImportedDataAnalysisTest {

    private static final String DEVICE = "\\Device\\HarddiskVolume2";

    @RegisterExtension
    static final ImportedFixtures.Analysed FIXTURES = new ImportedFixtures.Analysed();

    private static ProcessNode process(String vm, int pid) {
        return FIXTURES.analysis().processesWithPid(vm, pid).get(0);
    }

    @Test
    void ntDevicePaths_becomeBaseNames_withThePathKeptAsTheImage() {
        ProcessNode svchost = process(ImportedFixtures.WINDOWS, 776);
        assertThat(svchost.name()).isEqualTo("svchost.exe");
        assertThat(svchost.image()).isEqualTo(DEVICE + "\\Windows\\System32\\svchost.exe");
        assertThat(process(ImportedFixtures.WINDOWS, 348).name()).isEqualTo("smss.exe");
        assertThat(process(ImportedFixtures.WINDOWS, 4).name()).isEqualTo("System");
        assertThat(process(ImportedFixtures.WINDOWS, 4).image()).isNull();
        assertThat(process(ImportedFixtures.WINDOWS, 5268).name()).isEqualTo("invoice.exe");
        assertThat(process(ImportedFixtures.WINDOWS, 5268).image()).isEqualTo("C:\\Users\\John\\Desktop\\invoice.exe");
    }

    @Test
    void linuxPaths_becomeBaseNames_butTaskNamesWithASlashStayWhole() {
        assertThat(process(ImportedFixtures.LINUX, 612).name()).isEqualTo("sshd");
        assertThat(process(ImportedFixtures.LINUX, 612).image()).isEqualTo("/usr/sbin/sshd");
        assertThat(process(ImportedFixtures.LINUX, 47).name()).isEqualTo("kworker/0:1");
        assertThat(process(ImportedFixtures.VOLATILITY_LINUX, 47).name()).isEqualTo("kworker/0:1");
    }

    @Test
    void eventsOfRecordsWithoutAProcessName_showTheProcessTheTreeKnowsAtTheirTime() {
        List<EventRow> dlls = FIXTURES.analysis().events(ImportedFixtures.WINDOWS, 5268, EventQuery.ALL.withNames("apimon"), 0, 10)
                .items().stream().filter(e -> e.process().isEmpty()).toList();
        assertThat(dlls).hasSize(2).allSatisfy(e -> {
            assertThat(e.processName()).isEqualTo("invoice.exe");
            assertThat(e.processPath()).isEqualTo("C:\\Users\\John\\Desktop\\invoice.exe");
        });
        assertThat(dlls).extracting(EventRow::label).containsExactlyInAnyOrder("dll_discovered", "dll_loaded");
    }

    @Test
    void eventsNamedByAPath_showTheBaseName_withThePathBeside() {
        EventRow open = FIXTURES.analysis().events(ImportedFixtures.WINDOWS, 5268, EventQuery.ALL.withKinds("syscall"), 0, 1)
                .items().get(0);
        assertThat(open.process()).isEqualTo(DEVICE + "\\Users\\John\\Desktop\\invoice.exe");
        assertThat(open.processName()).isEqualTo("invoice.exe");
        assertThat(open.processPath()).isEqualTo(open.process());
        EventRow detail = FIXTURES.analysis().event(ImportedFixtures.WINDOWS, open.id()).orElseThrow().event();
        assertThat(detail).isEqualTo(open);
    }

    @Test
    void vmGraph_linksTheProcessTree_andGroupsWhatEachProcessTouched() {
        VmGraph graph = FIXTURES.analysis().vmGraph(ImportedFixtures.WINDOWS, 40, 8);
        Map<Integer, VmGraph.Process> byPid = graph.processes().stream()
                .collect(Collectors.toMap(p -> p.key().pid(), Function.identity()));
        assertThat(byPid.get(5268).name()).isEqualTo("invoice.exe");
        assertThat(byPid.get(5268).parent().pid()).isEqualTo(3944);
        assertThat(byPid.get(6120).parent().pid()).isEqualTo(5268);
        assertThat(byPid).as("quiet processes stay out unless they connect busy ones")
                .doesNotContainKeys(92, 348, 436).containsKeys(512, 636);
        assertThat(graph.resources()).extracting(VmGraph.Resource::kind, VmGraph.Resource::group)
                .contains(org.assertj.core.groups.Tuple.tuple("file", "\\??\\C:\\Users\\John\\AppData\\Roaming\\Updater\\"),
                        org.assertj.core.groups.Tuple.tuple("registry",
                                "\\REGISTRY\\USER\\S-1-5-21-3623811015-3361044348-30300820-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\"),
                        org.assertj.core.groups.Tuple.tuple("host", "c2.badhost.example"),
                        org.assertj.core.groups.Tuple.tuple("host", "198.51.100.23"));
        VmGraph.Resource updater = graph.resources().stream()
                .filter(r -> r.group().endsWith("Roaming\\Updater\\")).findFirst().orElseThrow();
        assertThat(updater.access()).isEqualTo("write");
        assertThat(updater.targets()).isEqualTo(2);
        VmGraph.Resource run = graph.resources().stream().filter(r -> r.kind().equals("registry")
                && r.group().endsWith("CurrentVersion\\") && r.group().contains("USER")).findFirst().orElseThrow();
        assertThat(run.sample()).endsWith("\\CurrentVersion\\Run");
        assertThat(run.access()).isEqualTo("write");
        assertThat(graph.links()).anySatisfy(l -> {
            assertThat(l.process().pid()).isEqualTo(5268);
            assertThat(graph.resources().get(l.resource())).isEqualTo(run);
        });
        assertThat(graph.links()).extracting(l -> l.process().pid()).allMatch(byPid::containsKey);
    }

    @Test
    void vmGraph_isBounded_countingWhatItLeavesOut() {
        VmGraph graph = FIXTURES.analysis().vmGraph(ImportedFixtures.WINDOWS, 1, 1);
        assertThat(graph.processes()).hasSizeBetween(1, 2);
        assertThat(graph.processes()).extracting(p -> p.key().pid()).contains(5268);
        assertThat(graph.hiddenProcesses()).isEqualTo(FIXTURES.analysis().processTree(ImportedFixtures.WINDOWS).nodes().size()
                - graph.processes().size());
        assertThat(graph.resources().stream().collect(Collectors.groupingBy(VmGraph.Resource::kind,
                Collectors.counting()))).allSatisfy((kind, n) -> assertThat(n).isEqualTo(1));
        assertThat(graph.hiddenGroups().get("file")).isPositive();
    }

    @Test
    void aVolatilityProcessList_givesAGraphOfTheTreeAlone() {
        VmGraph graph = FIXTURES.analysis().vmGraph(ImportedFixtures.VOLATILITY_WINDOWS, 40, 8);
        assertThat(graph.processes()).hasSize(13);
        assertThat(graph.resources()).isEmpty();
        assertThat(graph.processes()).filteredOn(p -> p.key().pid() == 6188).singleElement()
                .extracting(p -> p.parent().pid()).isEqualTo(6120);
    }
}
