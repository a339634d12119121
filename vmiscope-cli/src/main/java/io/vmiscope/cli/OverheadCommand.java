package io.vmiscope.cli;

import picocli.CommandLine.Command;

/** {@code vmiscope overhead …}: measure, model and predict what introspection costs the monitored VM. */
@Command(name = "overhead", mixinStandardHelpOptions = true,
        description = {"Measure what combinations of introspection actions cost a VM's workloads, fit a model of it, "
                + "report its errors with plots, and predict the cost of actions before starting them "
                + "(docs/overhead.md)."},
        subcommands = {OverheadCalibrateCommand.class, OverheadMeasureCommand.class, OverheadFitCommand.class, OverheadReportCommand.class,
                OverheadCrossValidateCommand.class,
                OverheadPredictCommand.class, OverheadBudgetCheckCommand.class})
final class OverheadCommand {
}
