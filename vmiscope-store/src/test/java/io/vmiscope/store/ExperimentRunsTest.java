package io.vmiscope.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExperimentRunsTest {

    @TempDir
    Path dir;

    @Test
    void experiment_isRegisteredOnce_andAnotherDesignUnderItsNameIsRefused() {
        try (DuckDbEventStore store = DuckDbEventStore.open(dir.resolve("s.duckdb"), StoreOptions.defaults())) {
            assertThat(store.registerExperiment("e1", "{\"actions\":[\"procevents\"],\"seed\":1}")).isTrue();
            assertThat(store.registerExperiment("e1", "{\"seed\":1,\"actions\":[\"procevents\"]}"))
                    .as("the same design, keys in another order: a resume").isFalse();
            assertThatThrownBy(() -> store.registerExperiment("e1", "{\"actions\":[\"procevents\"],\"seed\":2}"))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("experiment 'e1' exists")
                    .hasMessageContaining("another design")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            assertThat(store.registerExperiment("e2", "{}")).isTrue();
            assertThat(store.experiments()).containsExactly("e1", "e2");
        }
    }

    @Test
    void runs_areReadBackInPlanOrder_perExperiment_andSurviveReopening() {
        Path file = dir.resolve("s.duckdb");
        ExperimentRun second = new ExperimentRun("e1", 2, "monitored", "syscalls", "procevents+pslist:1s", 0, 20L,
                812.5, 4.0, "{\"stopsBySite\":{\"do_exit\":3}}");
        ExperimentRun first = new ExperimentRun("e1", 1, "baseline", "syscalls", "", 0, 10L, 1000.0, 4.0, "{}");
        try (DuckDbEventStore store = DuckDbEventStore.open(file, StoreOptions.defaults())) {
            store.registerExperiment("e1", "{}");
            store.recordExperimentRun(second);
            store.recordExperimentRun(first);
            store.recordExperimentRun(new ExperimentRun("e2", 1, "baseline", "cpu", "", 0, 5L, 3.0, 4.0, "{}"));
        }
        try (DuckDbEventStore store = DuckDbEventStore.open(file, StoreOptions.defaults())) {
            assertThat(store.experimentRuns("e1")).extracting(ExperimentRun::run).containsExactly(1, 2);
            ExperimentRun back = store.experimentRuns("e1").get(1);
            assertThat(back.combination()).isEqualTo("procevents+pslist:1s");
            assertThat(back.opsPerSecond()).isEqualTo(812.5);
            assertThat(back.detailJson()).contains("do_exit");
            assertThatThrownBy(() -> store.recordExperimentRun(first))
                    .as("a run is stored once").isInstanceOf(StoreException.class)
                    .hasMessageContaining("run 1 of experiment 'e1'");
        }
    }
}
