package io.vmiscope.cli;

import io.vmiscope.overhead.Observation;
import io.vmiscope.overhead.model.FitOptions;
import io.vmiscope.overhead.model.ModelFile;
import io.vmiscope.overhead.model.ModelValidation;
import io.vmiscope.overhead.report.ErrorTable;
import io.vmiscope.overhead.report.OverheadReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vmiscope overhead fit}: fits the model on single actions and pairs, validates it on the rest. */
@Command(name = "fit", mixinStandardHelpOptions = true,
        description = {"Fit the overhead model on the experiment's single actions and pairs (all workloads but "
                + "--held-out, of which only its --held-out-calibration runs), validate it on combinations of 3+ "
                + "actions and on the held-out workload, print the error figures, save the model and write the report "
                + "(CSV, PNG and SVG plots)."})
final class OverheadFitCommand implements Callable<Integer> {

    @Mixin
    OverheadData data;

    @Option(names = "--held-out", paramLabel = "WORKLOAD",
            description = "a workload kept out of the fit, to validate on (default: none)")
    String heldOut;

    @Mixin
    HeldOutCalibration heldOutCalibration;

    @Option(names = "--out", defaultValue = "vmiscope-data/overhead-report", paramLabel = "DIR",
            description = "where the report goes (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() {
        List<Observation> observations = data.observations();
        String calibration = heldOut == null ? null : heldOutCalibration.orNull();
        fit(observations, heldOut, calibration, data.model, out);
        return 0;
    }

    /** Fits, prints the error figures, saves the model and writes the report. */
    static void fit(List<Observation> observations, String heldOut, String heldOutCalibration, Path model, Path out) {
        ModelValidation.ValidatedModel validated = ModelValidation.fitAndValidate(observations, heldOut,
                heldOutCalibration, FitOptions.defaults());
        ModelFile.write(model, validated.model());
        System.out.print(ErrorTable.figures(validated.evaluation(), validated.model().training()));
        List<Path> written = OverheadReport.write(validated.evaluation(), validated.model().training(), out);
        System.err.println("vmiscope: model saved to " + model + "; report: " + written.size() + " files in " + out);
    }
}
