package io.vmiscope.cli;

import io.vmiscope.overhead.Observation;
import io.vmiscope.overhead.experiment.ExperimentStore;
import io.vmiscope.overhead.experiment.Observations;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.StoreOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Options of the {@code overhead} commands that read an experiment's measurements. */
class ExperimentData {

    @Option(names = "--experiment", defaultValue = "default", paramLabel = "NAME",
            description = "the measured experiment (default: ${DEFAULT-VALUE})")
    String experiment;

    @Mixin
    DbOption db;

    /** The experiment's monitored runs against their baselines; fails with one line when there are none. */
    List<Observation> observations() {
        return observations(db.path(), experiment);
    }

    /** Experiment {@code experiment}'s monitored runs in {@code db} against their baselines. */
    static List<Observation> observations(Path db, String experiment) {
        if (!Files.isRegularFile(db)) {
            throw new IllegalArgumentException("no store at " + db + ": run 'vmiscope overhead measure' first");
        }
        try (DuckDbEventStore store = DuckDbEventStore.open(db, StoreOptions.defaults())) {
            ExperimentStore experiments = new ExperimentStore(store);
            List<String> names = experiments.names();
            if (!names.contains(experiment)) {
                throw new IllegalArgumentException("no experiment '" + experiment + "' in " + db + " (there: "
                        + String.join(", ", names) + ")");
            }
            List<Observation> observations = Observations.of(experiments.runs(experiment));
            if (observations.isEmpty()) {
                throw new IllegalArgumentException("experiment '" + experiment + "' has no monitored run with a baseline yet");
            }
            return observations;
        }
    }
}
