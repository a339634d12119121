package io.vmiscope.store;

import io.vmiscope.store.imports.ImportItem;
import io.vmiscope.store.imports.LineCounts;
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
 * <p>Every file is checked first (a regular file that can be read), then read twice: once for the SHA-256 of
 * its content, once for its records. An imported event's id derives from the VM, that content, its line, its
 * position on the line and its raw record ({@link EventRows}) — not from the file's name or time.
 *
 * <p>Crash-safe and idempotent: {@link Listener#committed} is called only after a batch is stored. After a
 * crash (even {@code kill -9}) everything reported as committed is in the store, and running the same import
 * again — or importing the same content under another name — stores exactly the rest.
 *
 * <p>Not thread-safe: one import at a time per instance. The listener is called on the calling thread.
 */
public final class Importer {

    /** The importer's reports, called on the importing thread. */
    public interface Listener {

        /** A line could not be imported (reading goes on). */
        default void rejected(ImportItem.Rejected item) {
        }

        /** Something the user should know about a file (one line); the import goes on. */
        default void warning(String message) {
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
     * @throws java.io.UncheckedIOException with one line naming the file and why, when a file is not a regular
     *                                      file that can be read (then nothing is imported), or when reading
     *                                      fails or the file changes during the import (batches committed
     *                                      before stay)
     * @throws StoreException               when a batch cannot be written
     */
    public ImportSummary run(LogReader reader, List<Path> files, String vm) {
        checkInputs(files);
        for (Path file : files) {
            String source = file.toAbsolutePath().normalize().toString();
            long old = store.importedWithoutContentIdentity(source);
            if (old > 0) {
                listener.warning(file + " was imported by an older vmiscope (" + old + " events, their ids made"
                        + " from the file's path): its events are stored again, with ids made from its content;"
                        + " the old ones are those of this source with no source_sha256");
            }
        }
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
                    listener.committed(new ImportSummary(part.lines(), part.linesOfFileAhead(), imported, duplicates));
                }
                if (part.last()) {
                    return new ImportSummary(part.lines(), part.linesOfFileAhead(), imported, duplicates);
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
     * Checks that every file is a regular file that can be read, as {@link #run} does before it imports anything.
     *
     * @throws java.io.UncheckedIOException with one line naming the first file that is not, and why
     */
    public static void checkInputs(List<Path> files) {
        files.forEach(InputFileCheck::check);
    }

    /**
     * What the reading thread hands over: rows to stage, the lines rejected before them, and the counts
     * so far (of the files read to their end, and the lines read of the current one). {@code endsBatch}: commit
     * after staging ({@code staged} rows are in the batch then); {@code last}: nothing follows; {@code failure}:
     * reading failed, nothing follows.
     */
    private record Part(List<AppenderRow> rows, List<ImportItem.Rejected> rejected, LineCounts lines,
                        long linesOfFileAhead, int staged, boolean endsBatch, boolean last, RuntimeException failure) {
    }

    /** The reading stage: lines → events → rows, in parts; runs on a thread of its own. */
    private final class Reading implements Runnable {

        private final LogReader reader;
        private final List<Path> files;
        private final String vm;
        private final BlockingQueue<Part> handOff;
        private final EventRows rows = new EventRows();
        private List<AppenderRow> part = new ArrayList<>();
        private List<ImportItem.Rejected> rejected = new ArrayList<>();
        private LineCounts lines = LineCounts.NONE;
        private long linesOfFileAhead;
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
            FileContent content = FileContent.of(file);
            try (Stream<ImportItem> items = reader.read(file, vm)) {
                for (ImportItem item : (Iterable<ImportItem>) items::iterator) {
                    if (item instanceof ImportItem.Parsed parsed) {
                        linesOfFileAhead = Math.max(linesOfFileAhead, parsed.line());
                        part.add(rows.imported(parsed, content));
                        inBatch++;
                        if (inBatch >= batchSize) {
                            hand(true, false, null);
                        } else if (part.size() >= PART_SIZE) {
                            hand(false, false, null);
                        }
                    } else if (item instanceof ImportItem.Rejected r) {
                        linesOfFileAhead = Math.max(linesOfFileAhead, r.line());
                        rejected.add(r);
                    } else if (item instanceof ImportItem.FileRead read) {
                        lines = lines.plus(read.lines());
                        linesOfFileAhead = 0;
                    }
                }
            }
            content.checkUnchanged();
        }

        private void hand(boolean endsBatch, boolean last, RuntimeException failure) throws InterruptedException {
            handOff.put(new Part(part, rejected, lines, linesOfFileAhead, inBatch, endsBatch, last, failure));
            part = new ArrayList<>();
            rejected = new ArrayList<>();
            if (endsBatch) {
                inBatch = 0;
            }
        }
    }
}
