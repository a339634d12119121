package io.vmiscope.cli;

import io.vmiscope.overhead.ActionProfile;
import io.vmiscope.overhead.HookRates;
import io.vmiscope.overhead.Observation;
import io.vmiscope.overhead.Prediction;
import io.vmiscope.overhead.model.ModelFile;
import io.vmiscope.overhead.model.OverheadModel;
import io.vmiscope.overhead.model.WorkloadRates;
import io.vmiscope.overhead.report.PredictionText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vmiscope overhead predict}: the predicted slowdown of actions on a measured workload. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Predict the slowdown that a combination of actions would cause on a workload, with an interval "
                + "and each action's share, from the saved model and the workload's hook rates as the experiment "
                + "measured them."})
final class OverheadPredictCommand implements Callable<Integer> {

    @Mixin
    OverheadData data;

    @Option(names = "--action", required = true, paramLabel = "SPEC",
            description = "an action, as 'monitor --action' takes it; repeat for a combination")
    List<String> actions;

    @Option(names = "--workload", required = true, paramLabel = "NAME", description = "a workload the experiment measured")
    String workload;

    @Option(names = "--vcpus", defaultValue = "1", description = "the VM's vCPU count (default: ${DEFAULT-VALUE})")
    int vcpus;

    @Override
    public Integer call() {
        OverheadModel model = ModelFile.read(data.model);
        List<Observation> observations = data.observations();
        HookRates rates = WorkloadRates.pooled(observations).get(workload);
        if (rates == null) {
            throw new IllegalArgumentException("experiment '" + data.experiment + "' has no runs of workload '" + workload
                    + "' (there: " + String.join(", ", WorkloadRates.pooled(observations).keySet()) + ")");
        }
        Prediction prediction = model.predict(profiles(observations), rates, vcpus);
        System.out.print(PredictionText.describe(prediction, model.interval().coverage()));
        return 0;
    }

    /** The actions' profiles as the experiment recorded them (sites need a live guest's profile to compute). */
    private List<ActionProfile> profiles(List<Observation> observations) {
        Map<String, ActionProfile> known = new LinkedHashMap<>();
        observations.forEach(o -> o.actions().forEach(a -> known.putIfAbsent(a.id(), a)));
        List<ActionProfile> chosen = new ArrayList<>();
        for (String spec : actions) {
            ActionProfile profile = known.get(spec);
            if (profile == null) {
                throw new IllegalArgumentException("action '" + spec + "' was not measured in experiment '"
                        + data.experiment + "' (measured: " + String.join(", ", known.keySet()) + ")");
            }
            chosen.add(profile);
        }
        return chosen;
    }
}
