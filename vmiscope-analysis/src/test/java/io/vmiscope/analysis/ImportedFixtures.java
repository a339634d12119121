package io.vmiscope.analysis;

import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.ImportSummary;
import io.vmiscope.store.Importer;
import io.vmiscope.store.imports.ImportFormat;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
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

    /** Every VM the fixtures make. */
    static final List<String> VMS = List.of(WINDOWS, LINUX, VOLATILITY_WINDOWS, VOLATILITY_LINUX);

    /**
     * A JUnit extension for a test class: before its tests, a store in a temporary directory holding every
     * fixture, with its analysis refreshed for every VM; after them, both closed and the directory deleted.
     */
    static final class Analysed implements BeforeAllCallback, AfterAllCallback {

        private Path dir;
        private DuckDbEventStore store;
        private Analysis analysis;

        @Override
        public void beforeAll(ExtensionContext context) throws IOException {
            dir = Files.createTempDirectory("imported-fixtures");
            store = Fixtures.store(dir);
            importAll(store);
            analysis = Analysis.open(store);
            VMS.forEach(analysis::refresh);
        }

        @Override
        public void afterAll(ExtensionContext context) throws IOException {
            analysis.close();
            store.close();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }

        Analysis analysis() {
            return analysis;
        }
    }

    /** A file or directory under imported/. */
    static Path path(String name) {
        return Fixtures.resource("/imported/" + name);
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
