package io.vmiscope.overhead.experiment;

import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.StoreException;
import io.vmiscope.store.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExperimentStoreTest {

    @TempDir
    Path dir;

    @Test
    void experiment_isRegisteredOnce_andAnotherDesignUnderItsNameIsRefused() {
        try (DuckDbEventStore file = DuckDbEventStore.open(dir.resolve("s.duckdb"), StoreOptions.defaults())) {
            ExperimentStore store = new ExperimentStore(file);
            assertThat(store.register("e1", "{\"actions\":[\"procevents\"],\"seed\":1}")).isTrue();
            assertThat(store.register("e1", "{\"seed\":1,\"actions\":[\"procevents\"]}"))
                    .as("the same design, keys in another order: a resume").isFalse();
            assertThatThrownBy(() -> store.register("e1", "{\"actions\":[\"procevents\"],\"seed\":2}"))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("experiment 'e1' exists")
                    .hasMessageContaining("another design")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            assertThat(store.register("e2", "{}")).isTrue();
            assertThat(store.names()).containsExactly("e1", "e2");
        }
    }

    @Test
    void runs_areReadBackInPlanOrder_perExperiment_andSurviveReopening() {
        Path file = dir.resolve("s.duckdb");
        ExperimentRun second = new ExperimentRun("e1", 2, "monitored", "syscalls", "procevents+pslist:1s", 0, 20L,
                812.5, 4.0, "{\"stopsBySite\":{\"do_exit\":3}}");
        ExperimentRun first = new ExperimentRun("e1", 1, "baseline", "syscalls", "", 0, 10L, 1000.0, 4.0, "{}");
        try (DuckDbEventStore opened = DuckDbEventStore.open(file, StoreOptions.defaults())) {
            ExperimentStore store = new ExperimentStore(opened);
            store.register("e1", "{}");
            store.record(second);
            store.record(first);
            store.record(new ExperimentRun("e2", 1, "baseline", "cpu", "", 0, 5L, 3.0, 4.0, "{}"));
        }
        try (DuckDbEventStore opened = DuckDbEventStore.open(file, StoreOptions.defaults())) {
            ExperimentStore store = new ExperimentStore(opened);
            assertThat(store.runs("e1")).extracting(ExperimentRun::run).containsExactly(1, 2);
            ExperimentRun back = store.runs("e1").get(1);
            assertThat(back.combination()).isEqualTo("procevents+pslist:1s");
            assertThat(back.opsPerSecond()).isEqualTo(812.5);
            assertThat(back.detailJson()).contains("do_exit");
            assertThatThrownBy(() -> store.record(first))
                    .as("a run is stored once").isInstanceOf(StoreException.class)
                    .hasMessageContaining("run 1 of experiment 'e1'");
        }
    }
}
