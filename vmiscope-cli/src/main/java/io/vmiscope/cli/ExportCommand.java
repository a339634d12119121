package io.vmiscope.cli;

import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.EventFilter;
import io.vmiscope.store.ExportFormat;
import io.vmiscope.store.StoreOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code vmiscope export}: stored events to a JSON-lines, CSV or Parquet file, oldest first. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write stored events, oldest first, to a file: every column of the events table "
                + "(docs/store.md).", "", "Examples:",
                "  vmiscope export --format parquet --out events.parquet",
                "  vmiscope export --format csv --out exec.csv --vm demo --kind exec"})
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "jsonl, csv or parquet")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the file to write (replaced)")
    Path out;

    @Mixin
    DbOption db;

    @Option(names = "--vm", paramLabel = "NAME", description = "only events of this VM")
    String vm;

    @Option(names = "--kind", paramLabel = "KIND", description = "only events of this kind (syscall, exec, file, …)")
    String kind;

    @Override
    public Integer call() throws NoSuchFileException {
        ExportFormat chosen = format(format);
        if (!Files.isRegularFile(db.path())) {
            throw new NoSuchFileException("no store at " + db.path());
        }
        long written;
        try (DuckDbEventStore store = DuckDbEventStore.open(db.path(), StoreOptions.defaults())) {
            written = store.export(out, chosen, EventFilter.ALL.withVm(vm).withKind(kind));
        }
        spec.commandLine().getOut().println("vmiscope: exported " + written + " events to " + out);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static ExportFormat format(String name) {
        try {
            return ExportFormat.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown format '" + name + "': choose one of "
                    + Arrays.stream(ExportFormat.values()).map(f -> f.name().toLowerCase(Locale.ROOT)).toList(), e);
        }
    }
}
