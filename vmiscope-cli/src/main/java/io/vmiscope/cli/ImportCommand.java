package io.vmiscope.cli;

import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.ImportSummary;
import io.vmiscope.store.Importer;
import io.vmiscope.store.StoreOptions;
import io.vmiscope.store.imports.ImportFormat;
import io.vmiscope.store.imports.ImportItem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code vmiscope import FORMAT FILE… --vm NAME}: log files of other tools (or vmiscope's own JSON
 * lines) into the event store. Exit 0 when any event is in the store from these files (new or from an
 * earlier run of the same import), 1 when none is.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import DRAKVUF or Volatility logs, or vmiscope JSON lines, into the event store. Lines "
                + "that cannot be imported are listed as FILE:LINE: REASON; the rest is imported. Importing the "
                + "same content again (under any name) adds nothing, so an interrupted import is completed by running "
                + "it again. The summary accounts for every line: it gave events, was folded into a snapshot, was "
                + "rejected or was blank.",
                "", "Examples:", "  vmiscope import drakvuf drakmon.log --vm win10",
                "  vmiscope import volatility pslist.json --vm demo --db case42.duckdb"})
final class ImportCommand implements Callable<Integer> {

    private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FORMAT", description = "drakvuf, volatility or jsonl")
    String format;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE", description = "the files to import, in order")
    List<Path> files;

    @Option(names = "--vm", required = true, paramLabel = "NAME", description = "the VM the files are about")
    String vm;

    @Mixin
    DbOption db;

    @Override
    public Integer call() {
        ImportFormat chosen = format(format);
        Importer.checkInputs(files);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ImportSummary summary;
        try (DuckDbEventStore store = DuckDbEventStore.open(db.path(), StoreOptions.defaults())) {
            summary = new Importer(store, Importer.DEFAULT_BATCH_SIZE, new Progress(err))
                    .run(chosen.reader(), files, vm);
        }
        out.println("vmiscope: " + summary.describe() + " (store " + db.path() + ")");
        out.flush();
        return summary.committed() > 0 ? 0 : 1;
    }

    private static ImportFormat format(String name) {
        try {
            return ImportFormat.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown format '" + name + "': choose one of "
                    + Arrays.stream(ImportFormat.values()).map(f -> f.name().toLowerCase(Locale.ROOT)).toList(), e);
        }
    }

    /** Rejected lines as they come; progress at most once a second. */
    private static final class Progress implements Importer.Listener {

        private final PrintWriter err;
        private long lastPrinted = System.nanoTime();

        Progress(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void rejected(ImportItem.Rejected item) {
            err.println(item.file() + ":" + item.line() + ": " + item.reason());
            err.flush();
        }

        @Override
        public void warning(String message) {
            err.println("vmiscope: warning: " + message);
            err.flush();
        }

        @Override
        public void committed(ImportSummary soFar) {
            long now = System.nanoTime();
            if (now - lastPrinted >= PROGRESS_EVERY_NANOS) {
                lastPrinted = now;
                err.println("vmiscope: " + soFar.linesRead() + " lines read, " + soFar.committed()
                        + " events committed…");
                err.flush();
            }
        }
    }
}
