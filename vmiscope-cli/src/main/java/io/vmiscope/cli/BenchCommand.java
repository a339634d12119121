package io.vmiscope.cli;

import picocli.CommandLine.Command;

/** {@code vmiscope bench …}: performance figures against baselines measured in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks. Each prints vmiscope's figures beside a baseline measured in the same run "
                + "(a peer tool or the physical floor), as ratios, with medians and spread.",
        subcommands = {PsBenchCommand.class, TraceBenchCommand.class, StoreBenchCommand.class, AnomalyBenchCommand.class})
final class BenchCommand {
}
