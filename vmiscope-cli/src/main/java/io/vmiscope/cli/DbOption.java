package io.vmiscope.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The {@code --db PATH} option of the commands that work on a store (docs/store.md), with its one default. A
 * command that keeps a store only when asked ({@code monitor}) declares its own optional {@code --db} and names
 * {@link #DEFAULT} in its help.
 */
final class DbOption {

    /** Where the store is unless told otherwise, relative to the working directory. */
    static final String DEFAULT = "vmiscope-data/vmiscope.duckdb";

    @Option(names = "--db", defaultValue = DEFAULT, paramLabel = "PATH",
            description = "the DuckDB store (default: ${DEFAULT-VALUE}; see docs/store.md)")
    private Path path;

    /** The store's file: as given, or {@link #DEFAULT}. */
    Path path() {
        return path;
    }
}
