package io.vmiscope.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options shared by the {@code overhead} commands that read measurements and a model. */
final class OverheadData extends ExperimentData {

    @Option(names = "--model", defaultValue = "vmiscope-data/overhead-model.json", paramLabel = "FILE",
            description = "the fitted model (default: ${DEFAULT-VALUE})")
    Path model;
}
