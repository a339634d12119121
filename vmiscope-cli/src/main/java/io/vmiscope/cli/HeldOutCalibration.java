package io.vmiscope.cli;

import io.vmiscope.overhead.model.ObservationSplit;
import picocli.CommandLine.Option;

/** What a held-out workload keeps in the fit, for {@code overhead fit} and {@code overhead cross-validate}. */
final class HeldOutCalibration {

    @Option(names = "--held-out-calibration", defaultValue = ObservationSplit.SINGLES, paramLabel = "COMBINATION",
            description = "what a held-out workload keeps in the fit, as the calibration a new workload gets: 'singles' "
                    + "for its single actions' runs (what 'overhead calibrate' measures on a workload), a combination "
                    + "(e.g. procevents) for its runs, 'none' for nothing (default: ${DEFAULT-VALUE})")
    String value;

    /** The calibration pass for {@link ObservationSplit}: {@code null} for none. */
    String orNull() {
        return value.equals("none") ? null : value;
    }
}
