package io.vmiscope.store;

import io.vmiscope.store.imports.ImportItem;
import io.vmiscope.store.imports.LogReader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Imports log files into a store: streams a {@link LogReader}'s items, writes the events in batches
 * (each batch one statement, so it is stored whole or not at all), reports rejected lines and
 * progress.
 *
 * <p>Crash-safe and idempotent: {@link Listener#committed} is called only after a batch is stored,
 * and an imported event's id derives from its file, line and raw record. After a crash (even
 * {@code kill -9}) everything reported as committed is in the store, and running the same import
 * again stores exactly the rest.
 *
 * <p>Not thread-safe: one import at a time per instance. Runs on the calling thread.
 */
public final class Importer {

    /** The importer's reports, called on the importing thread. */
    public interface Listener {

        /** A line could not be imported (reading goes on). */
        default void rejected(ImportItem.Rejected item) {
        }

        /** A batch was stored; {@code soFar} counts everything up to and including it. */
        default void committed(ImportSummary soFar) {
        }
    }

    /** Events per batch unless told otherwise. */
    public static final int DEFAULT_BATCH_SIZE = 10_000;

    private final DuckDbEventStore store;
    private final int batchSize;
    private final Listener listener;

    private final EventRows rows = new EventRows();
    private final List<EventRow> batch = new ArrayList<>();
    private long linesRead;
    private long imported;
    private long duplicates;
    private long rejected;

    public Importer(DuckDbEventStore store, int batchSize, Listener listener) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        this.store = Objects.requireNonNull(store, "store");
        this.batchSize = batchSize;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Imports {@code files} in order, attributing every event to {@code vm}.
     *
     * @return the totals of this run
     * @throws java.io.UncheckedIOException when a file cannot be read (batches committed before stay)
     * @throws StoreException               when a batch cannot be written
     */
    public ImportSummary run(LogReader reader, List<Path> files, String vm) {
        linesRead = 0;
        imported = 0;
        duplicates = 0;
        rejected = 0;
        batch.clear();
        for (Path file : files) {
            importFile(reader, file, vm);
        }
        commit();
        return summary();
    }

    private void importFile(LogReader reader, Path file, String vm) {
        String lastFile = null;
        long lastLine = -1;
        int ordinal = 0;
        try (Stream<ImportItem> items = reader.read(file, vm)) {
            for (ImportItem item : (Iterable<ImportItem>) items::iterator) {
                String itemFile = item instanceof ImportItem.Parsed p ? p.file() : ((ImportItem.Rejected) item).file();
                long itemLine = item instanceof ImportItem.Parsed p ? p.line() : ((ImportItem.Rejected) item).line();
                if (itemLine != lastLine || !itemFile.equals(lastFile)) {
                    linesRead++;
                    ordinal = 0;
                    lastFile = itemFile;
                    lastLine = itemLine;
                }
                if (item instanceof ImportItem.Parsed parsed) {
                    batch.add(rows.imported(parsed.event(), file, parsed.line(), ordinal++, parsed.rawRecord()));
                    if (batch.size() >= batchSize) {
                        commit();
                    }
                } else {
                    rejected++;
                    listener.rejected((ImportItem.Rejected) item);
                }
            }
        }
    }

    private void commit() {
        if (batch.isEmpty()) {
            return;
        }
        long inserted = store.write(batch);
        imported += inserted;
        duplicates += batch.size() - inserted;
        batch.clear();
        listener.committed(summary());
    }

    private ImportSummary summary() {
        return new ImportSummary(linesRead, imported, duplicates, rejected);
    }
}
