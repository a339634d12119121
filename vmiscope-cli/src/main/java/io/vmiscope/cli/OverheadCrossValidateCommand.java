package io.vmiscope.cli;

import io.vmiscope.overhead.model.CrossValidation;
import io.vmiscope.overhead.model.FitOptions;
import io.vmiscope.overhead.report.ErrorTable;
import io.vmiscope.overhead.report.OverheadReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vmiscope overhead cross-validate}: the model on each workload it was not fitted on. */
@Command(name = "cross-validate", mixinStandardHelpOptions = true,
        description = {"Fit the overhead model once per workload of the experiment, each time without that workload "
                + "but its --held-out-calibration runs, and compare its predictions for the workload's other "
                + "combinations with what was measured. Prints the figures per workload and over every held-out "
                + "prediction, writes them with CSV and plots (PNG, SVG) to --out, and with --docs rewrites the "
                + "section of a Markdown file between '" + OverheadCrossValidateCommand.BEGIN + "' and '"
                + OverheadCrossValidateCommand.END + "'. Saves no model."})
final class OverheadCrossValidateCommand implements Callable<Integer> {

    static final String BEGIN = "<!-- overhead-cross-validation:begin -->";
    static final String END = "<!-- overhead-cross-validation:end -->";

    @Mixin
    ExperimentData data;

    @Mixin
    HeldOutCalibration heldOutCalibration;

    @Option(names = "--out", defaultValue = "vmiscope-data/overhead-report", paramLabel = "DIR",
            description = "where the figures, CSV and plots go (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--docs", paramLabel = "FILE.md",
            description = "a Markdown file whose cross-validation section is rewritten with the figures and links to "
                    + "the files in --out")
    Path docs;

    @Override
    public Integer call() {
        int[] done = {0};
        CrossValidation validation = CrossValidation.run(data.observations(), heldOutCalibration.orNull(), FitOptions.defaults(),
                workload -> System.err.println("vmiscope: [" + ++done[0] + "] fitting without " + workload + " …"));
        String figures = ErrorTable.crossValidation(validation);
        System.out.print(figures);
        List<Path> written = OverheadReport.writeCrossValidation(validation, out);
        System.err.println("vmiscope: " + written.size() + " files in " + out);
        if (docs != null) {
            String command = "vmiscope overhead cross-validate --experiment " + data.experiment
                    + " --held-out-calibration " + heldOutCalibration.value + " --out " + out + " --docs " + docs;
            OverheadReportCommand.rewriteSection(docs, BEGIN, END, OverheadReportCommand.section(command, figures, written, docs));
            System.err.println("vmiscope: rewrote the cross-validation section of " + docs);
        }
        return 0;
    }
}
