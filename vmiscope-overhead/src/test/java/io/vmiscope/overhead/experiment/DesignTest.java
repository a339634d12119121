package io.vmiscope.overhead.experiment;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DesignTest {

    private static Design design(List<String> actions, int repetitions, int baselineEvery, long seed) {
        return new Design(actions, List.of("web", "syscalls", "cpu"), repetitions, Duration.ofSeconds(3),
                Duration.ofMillis(500), baselineEvery, 6, seed, 0);
    }

    @Test
    void upToFiveActions_everyCombinationRuns() {
        List<String> five = List.of("a", "b", "c", "d", "e");
        assertThat(design(five, 1, 3, 1).combinations()).hasSize(31).doesNotHaveDuplicates()
                .allSatisfy(c -> assertThat(c).isNotEmpty());
        assertThat(design(List.of("a", "b"), 1, 3, 1).combinations())
                .containsExactly(List.of("a"), List.of("b"), List.of("a", "b"));
    }

    @Test
    void beyondFive_singlesPairsAndTheAskedNumberOfLargerCombinations() {
        List<String> seven = List.of("a", "b", "c", "d", "e", "f", "g");
        List<List<String>> combinations = design(seven, 1, 3, 9).combinations();
        assertThat(combinations.stream().filter(c -> c.size() == 1)).hasSize(7);
        assertThat(combinations.stream().filter(c -> c.size() == 2)).hasSize(21);
        assertThat(combinations.stream().filter(c -> c.size() >= 3)).hasSize(6).doesNotHaveDuplicates();
    }

    @Test
    void plan_isTheSameForTheSameDesign_andDiffersWithTheSeed() {
        List<String> actions = List.of("procevents", "pslist:1s", "syscalls:file");
        assertThat(design(actions, 2, 3, 42).plan()).isEqualTo(design(actions, 2, 3, 42).plan());
        assertThat(design(actions, 2, 3, 42).plan()).isNotEqualTo(design(actions, 2, 3, 43).plan());
    }

    @Test
    void plan_runsEachWorkloadInOneBlock_everyMonitoredRunBetweenTwoBaselinesOfItsWorkload() {
        List<String> actions = List.of("procevents", "pslist:1s", "syscalls:file");
        List<PlannedRun> plan = design(actions, 2, 3, 7).plan();
        assertThat(plan).extracting(PlannedRun::index).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, plan.size()).boxed().toList());
        List<String> blocks = plan.stream().map(PlannedRun::workload).distinct().toList();
        assertThat(blocks).containsExactlyInAnyOrder("web", "syscalls", "cpu");
        for (int i = 1; i < plan.size(); i++) {
            if (!plan.get(i).workload().equals(plan.get(i - 1).workload())) {
                assertThat(blocks.indexOf(plan.get(i).workload())).isGreaterThan(blocks.indexOf(plan.get(i - 1).workload()));
            }
        }
        for (int i = 0; i < plan.size(); i++) {
            if (!plan.get(i).baseline()) {
                assertThat(baselineWithin(plan, i, -1, 3)).as("baseline before run %d", i + 1).isTrue();
                assertThat(baselineWithin(plan, i, +1, 3)).as("baseline after run %d", i + 1).isTrue();
            }
        }
        Map<String, Long> monitoredPerWorkload = plan.stream().filter(r -> !r.baseline())
                .collect(Collectors.groupingBy(PlannedRun::workload, Collectors.counting()));
        assertThat(monitoredPerWorkload).containsOnly(Map.entry("web", 14L), Map.entry("syscalls", 14L),
                Map.entry("cpu", 14L));
    }

    private static boolean baselineWithin(List<PlannedRun> plan, int from, int step, int distance) {
        for (int j = from + step, n = 0; j >= 0 && j < plan.size() && n < distance; j += step, n++) {
            if (!plan.get(j).workload().equals(plan.get(from).workload())) {
                return false;
            }
            if (plan.get(j).baseline()) {
                return true;
            }
        }
        return false;
    }

    @Test
    void badDesigns_areRefusedWithAReason() {
        assertThatThrownBy(() -> design(List.of(), 1, 3, 1)).hasMessageContaining("at least one action");
        assertThatThrownBy(() -> design(List.of("a"), 0, 3, 1)).hasMessageContaining("repetitions");
        assertThatThrownBy(() -> new Design(List.of("a"), List.of("cpu"), 1, Duration.ZERO, Duration.ZERO, 1, 0, 1, 0))
                .hasMessageContaining("window must be positive");
    }

    @Test
    void aCalibration_measuresSingleActionsAndPairsOnly() {
        Design calibration = new Design(List.of("a", "b", "c", "d"), List.of("cpu"), 1, Duration.ofSeconds(2),
                Duration.ofMillis(500), 3, 0, 1, 2);
        assertThat(calibration.combinations()).hasSize(4 + 6).allSatisfy(c -> assertThat(c.size()).isBetween(1, 2));
    }
}
