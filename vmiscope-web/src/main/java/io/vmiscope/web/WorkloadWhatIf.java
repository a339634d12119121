package io.vmiscope.web;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.HookRates;
import io.vmiscope.overhead.Observation;
import io.vmiscope.overhead.experiment.ExperimentStore;
import io.vmiscope.overhead.experiment.Observations;
import io.vmiscope.overhead.model.ModelFile;
import io.vmiscope.overhead.model.OverheadModel;
import io.vmiscope.overhead.model.WorkloadRates;
import io.vmiscope.session.live.LivePrediction;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What-if on measured workloads: the fitted overhead model with the hook rates and action profiles that
 * the store's experiments measured ({@code vmiscope overhead measure}). Without a model file or
 * experiments it knows nothing, and says so.
 */
final class WorkloadWhatIf {

    /** What the model knows ({@code ModelInfo} of openapi.yaml). */
    record ModelInfo(boolean fitted, String file, List<String> actions, List<String> workloads) {
    }

    private final Path file;
    private final Optional<OverheadModel> model;
    private final Map<String, HookRates> rates;
    private final Map<String, ActionProfile> profiles;

    private WorkloadWhatIf(Path file, Optional<OverheadModel> model, Map<String, HookRates> rates,
                           Map<String, ActionProfile> profiles) {
        this.file = file;
        this.model = model;
        this.rates = rates;
        this.profiles = profiles;
    }

    /** Reads the model (when the file exists) and every experiment in the store. */
    static WorkloadWhatIf load(ExperimentStore experiments, Path modelFile) {
        Optional<OverheadModel> model = modelFile != null && Files.isRegularFile(modelFile)
                ? Optional.of(ModelFile.read(modelFile)) : Optional.empty();
        List<Observation> observations = new ArrayList<>();
        experiments.names().forEach(e -> observations.addAll(Observations.of(experiments.runs(e))));
        Map<String, ActionProfile> profiles = new LinkedHashMap<>();
        observations.forEach(o -> o.actions().forEach(a -> profiles.putIfAbsent(a.id(), a)));
        return new WorkloadWhatIf(modelFile, model, WorkloadRates.pooled(observations), profiles);
    }

    ModelInfo info() {
        return new ModelInfo(model.isPresent(), model.isPresent() ? file.toString() : null,
                model.map(m -> List.copyOf(m.knownActions())).orElse(List.of()),
                model.isPresent() ? List.copyOf(rates.keySet()) : List.of());
    }

    LivePrediction predict(List<ActionSpec> specs, String workload) {
        OverheadModel m = model.orElseThrow(() -> ApiException.badRequest(
                "no overhead model here: run 'vmiscope overhead calibrate' (or measure and fit) first"));
        HookRates workloadRates = rates.get(workload);
        if (workloadRates == null) {
            throw ApiException.badRequest("no measured workload '" + Params.cap(workload) + "' (measured: "
                    + String.join(", ", rates.keySet()) + ")");
        }
        List<ActionProfile> chosen = new ArrayList<>();
        for (ActionSpec spec : specs) {
            String id = spec.toString();
            ActionProfile profile = profiles.get(id);
            if (profile == null || !m.knownActions().contains(id)) {
                throw ApiException.badRequest("the model was not fitted on action '" + Params.cap(id) + "' (it knows: "
                        + String.join(", ", m.knownActions()) + ")");
            }
            chosen.add(profile);
        }
        return new LivePrediction(specs, m.predict(chosen, workloadRates, 1),
                "overhead model " + file.getFileName() + " with the hook rates measured on workload " + workload);
    }
}
