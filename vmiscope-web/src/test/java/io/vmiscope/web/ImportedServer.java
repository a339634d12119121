package io.vmiscope.web;

import io.vmiscope.analysis.Analysis;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.ImportSummary;
import io.vmiscope.store.Importer;
import io.vmiscope.store.StoreOptions;
import io.vmiscope.store.imports.ImportFormat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The server as {@code vmiscope serve} runs it over a stored file — no live VM — holding the analysis module's
 * imported fixtures (vmiscope-analysis/src/test/resources/imported/): every DRAKVUF plugin file of a Windows 10
 * and of a Linux run, and Volatility's windows.pslist and linux.pstree, each set a VM of its own.
 */
final class ImportedServer {

    static final String WINDOWS = "win10";
    static final String LINUX = "debian12";
    static final String VOLATILITY_WINDOWS = "win10-memory";
    static final String VOLATILITY_LINUX = "debian12-memory";
    static final List<String> VMS = List.of(LINUX, VOLATILITY_LINUX, WINDOWS, VOLATILITY_WINDOWS);
    private static final Path FIXTURES = Path.of("..", "vmiscope-analysis", "src", "test", "resources", "imported");

    private ImportedServer() {
    }

    /** The fixtures imported into a new store in {@code dir}, analysed and served on a free loopback port with a token. */
    static LabServer start(Path dir) {
        DuckDbEventStore store = DuckDbEventStore.open(dir.resolve("imported.duckdb"), StoreOptions.defaults());
        run(store, ImportFormat.DRAKVUF, files("drakvuf-win10"), WINDOWS);
        run(store, ImportFormat.DRAKVUF, files("drakvuf-linux"), LINUX);
        run(store, ImportFormat.VOLATILITY, List.of(FIXTURES.resolve("volatility/windows-pslist.json")),
                VOLATILITY_WINDOWS);
        run(store, ImportFormat.VOLATILITY, List.of(FIXTURES.resolve("volatility/linux-pstree.json")), VOLATILITY_LINUX);
        Analysis analysis = Analysis.open(store);
        VMS.forEach(analysis::refresh);
        ServerSettings settings = ServerSettings.withToken("127.0.0.1", 0);
        WebServer server = WebServer.start(settings, store, analysis, List::of, dir.resolve("no-model.json"));
        return new LabServer(store, analysis, server, settings);
    }

    private static List<Path> files(String directory) {
        try (Stream<Path> files = Files.list(FIXTURES.resolve(directory))) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(DuckDbEventStore store, ImportFormat format, List<Path> files, String vm) {
        ImportSummary summary = new Importer(store, Importer.DEFAULT_BATCH_SIZE, new Importer.Listener() {
        }).run(format.reader(), files, vm);
        if (summary.rejected() > 0) {
            throw new IllegalStateException(vm + ": " + summary.describe());
        }
    }
}
