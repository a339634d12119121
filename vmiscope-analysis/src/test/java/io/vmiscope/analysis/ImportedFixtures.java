package io.vmiscope.analysis;

import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.ImportSummary;
import io.vmiscope.store.Importer;
import io.vmiscope.store.imports.ImportFormat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The hand-written imported logs under src/test/resources/imported/ (also read by the web module's tests):
 * one DRAKVUF JSON log per plugin and version variant of a Windows 10 and of a Linux run, and Volatility 3
 * process lists, each set imported into a VM of its own.
 */
final class ImportedFixtures {

    /** A Windows 10 malware run: every DRAKVUF plugin file of drakvuf-win10/. */
    static final String WINDOWS = "win10";
    /** A Linux run: drakvuf-linux/. */
    static final String LINUX = "debian12";
    /** Volatility's windows.pslist. */
    static final String VOLATILITY_WINDOWS = "win10-memory";
    /** Volatility's linux.pstree. */
    static final String VOLATILITY_LINUX = "debian12-memory";

    private ImportedFixtures() {
    }

    /** A file or directory under imported/. */
    static Path path(String name) {
        try {
            return Path.of(Objects.requireNonNull(ImportedFixtures.class.getResource("/imported/" + name), name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The files of one fixture directory, by name. */
    static List<Path> files(String directory) {
        try (Stream<Path> files = Files.list(path(directory))) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Imports every fixture into its VM; fails when a line is rejected. */
    static void importAll(DuckDbEventStore store) {
        run(store, ImportFormat.DRAKVUF, files("drakvuf-win10"), WINDOWS);
        run(store, ImportFormat.DRAKVUF, files("drakvuf-linux"), LINUX);
        run(store, ImportFormat.VOLATILITY, List.of(path("volatility/windows-pslist.json")),
                VOLATILITY_WINDOWS);
        run(store, ImportFormat.VOLATILITY, List.of(path("volatility/linux-pstree.json")),
                VOLATILITY_LINUX);
    }

    private static void run(DuckDbEventStore store, ImportFormat format, List<Path> files, String vm) {
        ImportSummary summary = new Importer(store, Importer.DEFAULT_BATCH_SIZE, new Importer.Listener() {
        }).run(format.reader(), files, vm);
        if (summary.rejected() > 0) {
            throw new IllegalStateException(vm + ": " + summary.describe());
        }
    }
}
