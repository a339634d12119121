package io.vmiscope.overhead.experiment;

import io.vmiscope.events.CostSummary;
import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.Observation;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.StoreException;
import io.vmiscope.store.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExperimentRunnerTest {

    @TempDir
    Path dir;

    private final Design design = new Design(List.of("procevents", "pslist:1s"), List.of("syscalls", "cpu"), 2,
            Duration.ofSeconds(2), Duration.ofMillis(300), 2, 0, 5, 0);

    /** Rates: 1000 ops/s unmonitored; each action costs 10%, both together 25%. */
    private static final class FakeTestbed implements Testbed {
        final List<String> calls = new ArrayList<>();
        int interruptAfter = Integer.MAX_VALUE;
        int windows;

        @Override
        public int vcpus() {
            return 1;
        }

        @Override
        public void startWorkload(String workload) {
            calls.add("start " + workload);
        }

        @Override
        public void stopWorkload(String workload) {
            calls.add("stop " + workload);
        }

        @Override
        public Window baseline(String workload, Duration window) {
            count();
            return Window.unmonitored(1000, window.toMillis() / 1000.0);
        }

        @Override
        public Window monitored(String workload, List<String> actions, Duration warmUp, Duration window) {
            count();
            double slowdown = actions.size() == 2 ? 0.25 : 0.10;
            List<ActionProfile> profiles = actions.stream()
                    .map(a -> new ActionProfile(a, a.equals("procevents") ? Set.of("do_exit") : Set.of(),
                            a.startsWith("pslist") ? Duration.ofSeconds(1) : null, true)).toList();
            List<CostSummary> costs = actions.stream()
                    .map(a -> new CostSummary(a, 3, 3, 0, 0, 3, 0, 0, 3_000_000, 1_000_000, 1_000_000, 4, 64, 10_000))
                    .toList();
            return new Window(1000 / (1 + slowdown), window.toMillis() / 1000.0, profiles, Map.of("do_exit", 3L),
                    0.003, costs);
        }

        private void count() {
            if (++windows >= interruptAfter) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void plan_runsToTheEnd_storesEveryRun_andStartsEachWorkloadOnce() {
        FakeTestbed testbed = new FakeTestbed();
        try (DuckDbEventStore store = DuckDbEventStore.open(dir.resolve("s.duckdb"), StoreOptions.defaults())) {
            ExperimentRunner.Outcome outcome = runner(store, testbed).run("e", design);
            assertThat(outcome.complete()).isTrue();
            assertThat(outcome.ranNow()).isEqualTo(design.plan().size());
            assertThat(new ExperimentStore(store).runs("e")).hasSize(design.plan().size());
            assertThat(testbed.calls).containsExactly("start " + design.plan().get(0).workload(),
                    "stop " + design.plan().get(0).workload(), "start " + design.plan().get(design.plan().size() - 1).workload(),
                    "stop " + design.plan().get(design.plan().size() - 1).workload());

            List<Observation> observations = Observations.of(new ExperimentStore(store).runs("e"));
            assertThat(observations).hasSize(2 * 3 * 2);
            assertThat(observations).allSatisfy(o -> {
                assertThat(o.slowdown()).isCloseTo(o.actions().size() == 2 ? 0.25 : 0.10,
                        org.assertj.core.data.Offset.offset(1e-9));
                assertThat(o.stopsBySite()).containsEntry("do_exit", 3L);
                assertThat(o.actions()).extracting(ActionProfile::id).isNotEmpty();
            });
            assertThat(observations.stream().filter(o -> o.combination().equals("procevents+pslist:1s")).findFirst()
                    .orElseThrow().actions()).anySatisfy(p -> assertThat(p.period()).isEqualTo(Duration.ofSeconds(1)));
        }
    }

    @Test
    void interruptedExperiment_resumesWithTheRunsNotStored_eachRunStoredOnce() {
        Path file = dir.resolve("s.duckdb");
        int total = design.plan().size();
        try (DuckDbEventStore store = DuckDbEventStore.open(file, StoreOptions.defaults())) {
            FakeTestbed first = new FakeTestbed();
            first.interruptAfter = 5;
            ExperimentRunner.Outcome outcome = runner(store, first).run("e", design);
            assertThat(Thread.interrupted()).isTrue();
            assertThat(outcome.complete()).isFalse();
            assertThat(outcome.ranNow()).isEqualTo(5);
            assertThat(first.calls.get(first.calls.size() - 1)).as("the workload is stopped").startsWith("stop ");
        }
        try (DuckDbEventStore store = DuckDbEventStore.open(file, StoreOptions.defaults())) {
            ExperimentRunner.Outcome outcome = runner(store, new FakeTestbed()).run("e", design);
            assertThat(outcome).isEqualTo(new ExperimentRunner.Outcome(total, 5, total - 5, true));
            assertThat(new ExperimentStore(store).runs("e")).extracting(ExperimentRun::run)
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, total).boxed().toList());
            assertThatThrownBy(() -> runner(store, new FakeTestbed()).run("e", new Design(design.actions(),
                    design.workloads(), 3, design.window(), design.warmUp(), 2, 0, 5, 0)))
                    .isInstanceOf(StoreException.class).hasMessageContaining("another design");
        }
    }

    private static ExperimentRunner runner(DuckDbEventStore store, Testbed testbed) {
        long[] clock = {0};
        return new ExperimentRunner(new ExperimentStore(store), testbed, new ExperimentRunner.Progress() {
            @Override
            public void starting(PlannedRun run, int done, int total, Duration eta) {
                assertThat(done).isLessThan(total);
            }

            @Override
            public void finished(PlannedRun run, Window window) {
            }
        }, () -> clock[0] += 1_000_000_000L);
    }
}
