package io.vmiscope.cli;

import picocli.CommandLine.Command;

/** {@code vmiscope detect …}: detection over stored and data-set traces. */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = "Intrusion detection: train syscall-sequence anomaly models and evaluate them.",
        subcommands = {DetectTrainCommand.class, DetectEvaluateCommand.class})
final class DetectCommand {
}
