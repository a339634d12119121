package io.vmiscope.store;

import io.vmiscope.store.imports.ImportItem;
import io.vmiscope.store.imports.LogReader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.stream.Stream;

/**
 * Imports log files into a store: streams a {@link LogReader}'s items, writes the events in batches
 * (each batch one statement, so it is stored whole or not at all), reports rejected lines and
 * progress.
 *
 * <p>Two stages on two threads, handed over through a queue of at most {@value #QUEUED_PARTS} parts:
 * a reading thread parses the lines and turns the events into rows (content ids, fields JSON), in
 * parts of at most {@value #PART_SIZE} rows; the calling thread stages each part in the store and
 * commits every {@code batchSize} events. Only the parts in flight are on the Java heap, so a batch
 * may be far larger than what the heap could hold as rows.
 *
 * <p>Crash-safe and idempotent: {@link Listener#committed} is called only after a batch is stored,
 * and an imported event's id derives from its file, line and raw record. After a crash (even
 * {@code kill -9}) everything reported as committed is in the store, and running the same import
 * again stores exactly the rest.
 *
 * <p>Not thread-safe: one import at a time per instance. The listener is called on the calling thread.
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

    /**
     * Events per batch (one transaction) unless told otherwise: one DuckDB row group (122,880 rows), so
     * that DuckDB writes a batch's rows straight into the file's blocks instead of through its
     * write-ahead log first.
     */
    public static final int DEFAULT_BATCH_SIZE = 122_880;

    /** Rows per part handed from the reading thread to the storing one. */
    static final int PART_SIZE = 8_192;

    /** Parts waiting in the hand-off at most. */
    static final int QUEUED_PARTS = 8;

    private final DuckDbEventStore store;
    private final int batchSize;
    private final Listener listener;

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
        BlockingQueue<Part> handOff = new ArrayBlockingQueue<>(QUEUED_PARTS);
        Reading reading = new Reading(reader, files, vm, handOff);
        Thread thread = new Thread(reading, "vmiscope-import-reader");
        thread.setDaemon(true);
        thread.start();
        long imported = 0;
        long duplicates = 0;
        try (DuckDbEventStore.ImportBatch batch = store.importBatch()) {
            while (true) {
                Part part = handOff.take();
                if (part.failure() != null) {
                    throw part.failure();
                }
                part.rejected().forEach(listener::rejected);
                if (!part.rows().isEmpty()) {
                    batch.stage(part.rows());
                }
                if (part.endsBatch() && part.staged() > 0) {
                    long inserted = batch.commit();
                    imported += inserted;
                    duplicates += part.staged() - inserted;
                    listener.committed(new ImportSummary(part.linesRead(), imported, duplicates, part.rejectedSoFar()));
                }
                if (part.last()) {
                    return new ImportSummary(part.linesRead(), imported, duplicates, part.rejectedSoFar());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while importing", e);
        } finally {
            thread.interrupt();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * What the reading thread hands over: rows to stage, the lines rejected before them, and the counts
     * so far. {@code endsBatch}: commit after staging ({@code staged} rows are in the batch then);
     * {@code last}: nothing follows; {@code failure}: reading failed, nothing follows.
     */
    private record Part(List<EventRow> rows, List<ImportItem.Rejected> rejected, long linesRead, long rejectedSoFar,
                        int staged, boolean endsBatch, boolean last, RuntimeException failure) {
    }

    /** The reading stage: lines → events → rows, in parts; runs on a thread of its own. */
    private final class Reading implements Runnable {

        private final LogReader reader;
        private final List<Path> files;
        private final String vm;
        private final BlockingQueue<Part> handOff;
        private final EventRows rows = new EventRows();
        private List<EventRow> part = new ArrayList<>();
        private List<ImportItem.Rejected> rejected = new ArrayList<>();
        private long linesRead;
        private long rejectedSoFar;
        private int inBatch;

        Reading(LogReader reader, List<Path> files, String vm, BlockingQueue<Part> handOff) {
            this.reader = reader;
            this.files = files;
            this.vm = vm;
            this.handOff = handOff;
        }

        @Override
        public void run() {
            try {
                for (Path file : files) {
                    readFile(file);
                }
                hand(true, true, null);
            } catch (InterruptedException e) {
                // the storing side gave up; it reports why
            } catch (RuntimeException e) {
                try {
                    hand(false, true, e);
                } catch (InterruptedException ignored) {
                    // the storing side gave up; it reports why
                }
            }
        }

        private void readFile(Path file) throws InterruptedException {
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
                        part.add(rows.imported(parsed.event(), file, parsed.line(), ordinal++, parsed.rawRecord()));
                        inBatch++;
                        if (inBatch >= batchSize) {
                            hand(true, false, null);
                        } else if (part.size() >= PART_SIZE) {
                            hand(false, false, null);
                        }
                    } else {
                        rejectedSoFar++;
                        rejected.add((ImportItem.Rejected) item);
                    }
                }
            }
        }

        private void hand(boolean endsBatch, boolean last, RuntimeException failure) throws InterruptedException {
            handOff.put(new Part(part, rejected, linesRead, rejectedSoFar, inBatch, endsBatch, last, failure));
            part = new ArrayList<>();
            rejected = new ArrayList<>();
            if (endsBatch) {
                inBatch = 0;
            }
        }
    }
}
