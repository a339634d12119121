package io.vmiscope.store;

import io.vmiscope.events.CostSummary;
import io.vmiscope.events.Event;
import io.vmiscope.events.EventSink;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * The event store: one DuckDB file holding every event (live and imported) and the cost of every
 * introspection session. docs/store.md describes the tables. It is the writer ({@link EventSink}, imports,
 * costs, retention, export), and implements the ports other modules take instead of this class: {@link EventReader}
 * (queries and events read back) and {@link StoreConnections} (connections for the tables other modules keep in
 * the file: analysis, overhead experiments).
 *
 * <pre>
 *   accept(event) ──▶ bounded queue ──▶ writer thread: batch of up to batchSize events
 *   (monitor thread)   (blocks when full,        │ rows + content ids
 *                       or drops and counts)     ▼
 *   writer thread ─────────────────────▶ Appender on the writer connection ──▶ events (one transaction
 *                                              per batch, new ids only)
 *   Importer ── importBatch(): stage(part)… ─▶ Appender on its own connection ──▶ events (one transaction,
 *                                              new ids only) ──▶ commit()
 *   count / forEach / costs / export / openConnection ──▶ their own connections: read while ingestion runs
 * </pre>
 *
 * <p>Ingestion is idempotent: an event's id derives from its content (for imports: vm, the file's content,
 * line and raw record), and a row whose id is already stored is skipped and counted as a duplicate. A batch is
 * written in one transaction, so it is stored whole or not at all — a crash loses only batches that were
 * not yet reported as written.
 *
 * <p>Thread-safety: every method may be called from any thread. Writes (batches, costs, retention)
 * are serialised on one connection; queries use connections of their own. The caller closes the
 * store; {@link #close()} writes everything still queued first. One process at a time may open a file
 * (DuckDB locks it).
 */
public final class DuckDbEventStore implements EventSink, EventReader, StoreConnections {

    private static final String COLUMNS =
            "id, time_ns, vm, action, kind, pid, tid, ppid, uid, process, name, fields, source, source_line, original,"
                    + " source_sha256";
    private static final long POLL_MILLIS = 100;

    private final Path file;
    private final StoreOptions options;
    /** Only used to open further connections (writer, readers); never runs a statement. */
    private final DuckDBConnection origin;
    /** Guarded by {@link #writeLock}. */
    private final DuckDBConnection writer;
    private final Object writeLock = new Object();

    private final BlockingQueue<Event> queue;
    private final Thread writerThread;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong enqueued = new AtomicLong();
    /** Held by the open {@link ImportBatch}: one import at a time. */
    private final ReentrantLock importLock = new ReentrantLock();
    /** Queued events the writer thread has finished with; guarded by {@link #progress}. */
    private long done;
    private final Object progress = new Object();
    private long droppedReported;
    private volatile boolean closing;
    private volatile boolean closed;
    private volatile StoreException failure;

    private DuckDbEventStore(Path file, StoreOptions options, DuckDBConnection origin) throws SQLException {
        this.file = file;
        this.options = options;
        this.origin = origin;
        this.writer = origin.duplicate();
        Schema.migrate(writer, file, Schema.CURRENT_VERSION);
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.writerThread = new Thread(this::drainQueue, "vmiscope-store-writer");
        writerThread.setDaemon(true);
        writerThread.start();
    }

    /**
     * Opens (creating it and its folder when missing) the store in {@code file}, bringing an older
     * schema up to date, and starts the writer thread.
     *
     * @throws StoreException when the file cannot be opened (another process has it, it is not a
     *                        DuckDB file) or its schema is newer than this vmiscope knows
     */
    public static DuckDbEventStore open(Path file, StoreOptions options) {
        Path absolute = file.toAbsolutePath().normalize();
        DuckDBConnection origin = null;
        try {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
            origin = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + absolute);
            return new DuckDbEventStore(file, options, origin);
        } catch (IOException | SQLException e) {
            closeQuietly(origin);
            throw new StoreException("cannot open store " + file + ": " + firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            closeQuietly(origin);
            throw e;
        }
    }

    /** The store's file, as given to {@link #open}. */
    @Override
    public Path file() {
        return file;
    }

    /** The schema version of the open file (after migration: always the current one). */
    public int schemaVersion() {
        try (Connection c = openConnection()) {
            return Schema.version(c);
        } catch (SQLException e) {
            throw failed("cannot read the schema version", e);
        }
    }

    /**
     * Queues an event for the writer thread. Blocks while the queue is full, unless the options say
     * {@link StoreOptions#dropWhenFull()}: then a full queue drops the event, counts it and reports it.
     *
     * @throws StoreException when the store is closed or an earlier write failed
     */
    @Override
    public void accept(Event event) {
        checkUsable();
        if (options.dropWhenFull()) {
            received.incrementAndGet();
            if (queue.offer(event)) {
                enqueued.incrementAndGet();
            } else {
                dropped.incrementAndGet();
            }
            return;
        }
        try {
            while (!queue.offer(event, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                checkUsable();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for room in the store's queue", e);
        }
        received.incrementAndGet();
        enqueued.incrementAndGet();
    }

    /** Waits until every event queued before this call is written. */
    @Override
    public void flush() {
        long target = enqueued.get();
        synchronized (progress) {
            while (done < target && failure == null && writerThread.isAlive()) {
                try {
                    progress.wait(POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StoreException("interrupted while flushing the store", e);
                }
            }
        }
        throwIfFailed();
    }

    /** The counters so far; see {@link StoreStats} for how they add up. */
    public StoreStats stats() {
        return new StoreStats(received.get(), stored.get(), duplicates.get(), dropped.get());
    }

    /**
     * Stores the cost of each action of a session that ended now, one row per action, in one
     * transaction.
     */
    public void recordCosts(String vm, List<CostSummary> costs) {
        checkUsable();
        long now = nanos(options.clock().instant());
        synchronized (writeLock) {
            try {
                writer.setAutoCommit(false);
                CostsTable.insert(writer, now, vm, costs);
                writer.commit();
            } catch (SQLException e) {
                rollbackQuietly(writer);
                throw failed("cannot store costs", e);
            } finally {
                autoCommitQuietly();
            }
        }
    }

    @Override
    public List<CostSummary> costs(String vm) {
        try (Connection c = openConnection()) {
            return CostsTable.select(c, vm);
        } catch (SQLException e) {
            throw failed("cannot read the costs of " + vm, e);
        }
    }

    /**
     * Retention by age: deletes events (and cost rows) older than {@code age} before the clock's now.
     *
     * @return how many events were deleted
     */
    public long deleteOlderThan(Duration age) {
        long cutoff = nanos(options.clock().instant().minus(age));
        synchronized (writeLock) {
            try (PreparedStatement events = writer.prepareStatement("DELETE FROM events WHERE time_ns < ?");
                 PreparedStatement costs = writer.prepareStatement("DELETE FROM costs WHERE time_ns < ?")) {
                events.setLong(1, cutoff);
                long deleted = events.executeUpdate();
                costs.setLong(1, cutoff);
                costs.executeUpdate();
                return deleted;
            } catch (SQLException e) {
                throw failed("cannot delete old events", e);
            }
        }
    }

    /**
     * Retention by size: deletes the oldest events until the data (DuckDB's used blocks after a
     * checkpoint) fits in {@code maxBytes}. The number to delete is estimated from the average size of
     * a stored event, so the result is close to, not exactly, the limit. The file itself keeps its
     * size: DuckDB reuses the freed blocks for new data.
     *
     * @return how many events were deleted
     */
    public long trimToBytes(long maxBytes) {
        synchronized (writeLock) {
            try (Statement s = writer.createStatement()) {
                long used = usedBytes(s);
                if (used <= maxBytes) {
                    return 0;
                }
                long count;
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM events")) {
                    r.next();
                    count = r.getLong(1);
                }
                long keep = (long) Math.floor(count * ((double) maxBytes / used));
                long excess = count - keep;
                if (excess <= 0) {
                    return 0;
                }
                long deleted;
                try (PreparedStatement delete = writer.prepareStatement(
                        "DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY time_ns LIMIT ?)")) {
                    delete.setLong(1, excess);
                    deleted = delete.executeUpdate();
                }
                s.execute("CHECKPOINT");
                return deleted;
            } catch (SQLException e) {
                throw failed("cannot trim the store", e);
            }
        }
    }

    /** Bytes in DuckDB's used blocks, after a checkpoint has moved the write-ahead log into them. */
    private static long usedBytes(Statement s) throws SQLException {
        s.execute("CHECKPOINT");
        try (ResultSet r = s.executeQuery("SELECT used_blocks * block_size FROM pragma_database_size()")) {
            r.next();
            return r.getLong(1);
        }
    }

    @Override
    public long count(EventFilter filter) {
        try (Connection c = openConnection();
             PreparedStatement q = c.prepareStatement("SELECT count(*) FROM events" + filter.whereClause())) {
            bind(q, filter.parameters());
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw failed("cannot count events", e);
        }
    }

    /**
     * Writes the events that pass {@code filter}, oldest first, to {@code out} with DuckDB's
     * {@code COPY … TO}: every column of the {@code events} table. Filter values are bound as
     * parameters. Runs beside ingestion; events still queued are not included (call {@link #flush()}
     * first to include them).
     *
     * @return how many events were written
     */
    public long export(Path out, ExportFormat format, EventFilter filter) {
        String target = out.toAbsolutePath().normalize().toString().replace("'", "''");
        String sql = "COPY (SELECT " + COLUMNS + " FROM events" + filter.whereClause() + " ORDER BY time_ns, id) TO '"
                + target + "' (" + format.copyOptions() + ")";
        try (Connection c = openConnection(); PreparedStatement copy = c.prepareStatement(sql)) {
            bind(copy, filter.parameters());
            return copy.executeUpdate();
        } catch (SQLException e) {
            throw failed("cannot export to " + out, e);
        }
    }

    /**
     * How many events imported from {@code source} (an absolute path) have no content identity: stored by a
     * vmiscope before schema version 6, whose imported ids hashed the file's path. Importing that file again
     * stores its events once more, under ids of its content.
     */
    long importedWithoutContentIdentity(String source) {
        try (Connection c = openConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT count(*) FROM events WHERE source = ? AND source_sha256 IS NULL")) {
            q.setString(1, source);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw failed("cannot count the events imported from " + source, e);
        }
    }

    @Override
    public long forEach(EventFilter filter, BiConsumer<String, Event> handler) {
        try (Connection c = openConnection()) {
            return StoredEvents.forEach(c, filter, handler);
        } catch (SQLException e) {
            throw failed("cannot read events back", e);
        }
    }

    @Override
    public Connection openConnection() {
        synchronized (origin) {
            try {
                return origin.duplicate();
            } catch (SQLException e) {
                throw failed("cannot open a reader connection", e);
            }
        }
    }

    /**
     * Stops accepting events, writes everything queued, and closes the file. Idempotent.
     *
     * @throws StoreException when a write failed at any time (after releasing the file), so that a
     *                        failure is never silent
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closing = true;
        try {
            writerThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writerThread.interrupt();
        } finally {
            closed = true;
            synchronized (writeLock) {
                closeQuietly(writer);
            }
            closeQuietly(origin);
        }
        throwIfFailed();
    }

    private void drainQueue() {
        EventRows rows = new EventRows();
        List<Event> batch = new ArrayList<>(Math.min(options.batchSize(), 65_536));
        try {
            while (failure == null) {
                Event first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    reportDrops();
                    if (closing && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                fill(batch);
                List<AppenderRow> converted = new ArrayList<>(batch.size());
                for (Event event : batch) {
                    converted.add(rows.live(event));
                }
                long inserted = writeRows(converted);
                stored.addAndGet(inserted);
                duplicates.addAndGet(batch.size() - inserted);
                synchronized (progress) {
                    done += batch.size();
                    progress.notifyAll();
                }
                batch.clear();
                reportDrops();
            }
        } catch (InterruptedException e) {
            failure = new StoreException("the store's writer was interrupted; queued events were not written", e);
        } catch (StoreException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new StoreException("the store's writer failed: " + firstLine(String.valueOf(e.getMessage())), e);
        } finally {
            reportDrops();
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    /** Adds what is queued to {@code batch}, waiting up to the batch delay for it to fill. */
    private void fill(List<Event> batch) throws InterruptedException {
        long deadline = System.nanoTime() + options.maxBatchDelay().toNanos();
        while (batch.size() < options.batchSize()) {
            queue.drainTo(batch, options.batchSize() - batch.size());
            long remaining = deadline - System.nanoTime();
            if (batch.size() >= options.batchSize() || closing || remaining <= 0) {
                return;
            }
            Event next = queue.poll(remaining, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
        }
    }

    private void reportDrops() {
        long now = dropped.get();
        if (now > droppedReported) {
            options.warnings().accept("store queue full: dropped " + (now - droppedReported) + " events ("
                    + now + " in all)");
            droppedReported = now;
        }
    }

    /** Stores the rows with new ids, in one transaction: all or none of them. */
    private long writeRows(List<AppenderRow> rows) {
        synchronized (writeLock) {
            try {
                writer.setAutoCommit(false);
                long appended = appendNew(writer, rows);
                writer.commit();
                return appended;
            } catch (SQLException e) {
                rollbackQuietly(writer);
                throw failed("cannot write " + rows.size() + " events", e);
            } finally {
                autoCommitQuietly();
            }
        }
    }

    /**
     * Starts a transaction that an import fills in parts: {@link ImportBatch#stage} appends the new
     * rows straight into {@code events}, {@link ImportBatch#commit} makes them visible. The
     * transaction runs on a connection of its own, so live events go on being written beside it; the
     * uncommitted rows live in DuckDB's memory and spill (not on the Java heap). One import at a time:
     * a second call waits until the first batch is closed. The caller closes it, before closing the
     * store.
     *
     * @throws StoreException when the store is closed or the connection cannot be opened
     */
    ImportBatch importBatch() {
        checkUsable();
        importLock.lock();
        try {
            DuckDBConnection connection = origin.duplicate();
            try {
                connection.setAutoCommit(false);
                return new ImportBatch(connection);
            } catch (SQLException | RuntimeException e) {
                closeQuietly(connection);
                throw e;
            }
        } catch (SQLException e) {
            importLock.unlock();
            throw failed("cannot start an import transaction", e);
        } catch (RuntimeException e) {
            importLock.unlock();
            throw e;
        }
    }

    /**
     * One import's transaction; see {@link #importBatch()}. Not thread-safe; used and closed on the
     * thread that opened it.
     */
    final class ImportBatch implements AutoCloseable {

        private final DuckDBConnection connection;
        /** Rows offered since the last commit, duplicates included. */
        private long offered;
        /** Rows appended since the last commit. */
        private long appended;
        private boolean open = true;

        private ImportBatch(DuckDBConnection connection) {
            this.connection = connection;
        }

        /**
         * Appends the rows with new ids to this transaction; nothing is visible to others before
         * {@link #commit}.
         *
         * @throws StoreException when the rows cannot be written (the transaction is then discarded)
         */
        void stage(List<AppenderRow> rows) {
            checkUsable();
            try {
                appended += appendNew(connection, rows);
                offered += rows.size();
            } catch (SQLException e) {
                discard();
                throw failed("cannot write " + rows.size() + " imported events", e);
            }
        }

        /**
         * Makes the appended rows visible, all or none, and starts the next transaction.
         *
         * @return how many rows were new
         * @throws StoreException when the commit fails (nothing of the transaction is stored)
         */
        long commit() {
            checkUsable();
            long inserted = appended;
            try {
                connection.commit();
            } catch (SQLException e) {
                discard();
                throw failed("cannot write " + offered + " imported events", e);
            }
            received.addAndGet(offered);
            stored.addAndGet(inserted);
            duplicates.addAndGet(offered - inserted);
            offered = 0;
            appended = 0;
            return inserted;
        }

        private void discard() {
            offered = 0;
            appended = 0;
            rollbackQuietly(connection);
        }

        /** Discards rows appended since the last commit and lets the next import start. */
        @Override
        public void close() {
            if (!open) {
                return;
            }
            open = false;
            try {
                discard();
                closeQuietly(connection);
            } finally {
                importLock.unlock();
            }
        }
    }

    /**
     * Appends to {@code events}, in the connection's open transaction, those of {@code rows} whose ids
     * are not stored yet.
     *
     * <p>Duplicates are found by id alone, without a primary-key index (whose upkeep cost DuckDB 1.5 five to
     * eight times the rest of the insert): the ids stored where a row with the same id must be are read first —
     * for a live row, its time range (a live id hashes the event's time); for an imported row, the rows of the
     * same file content ({@code source_sha256}) in its range of lines (an imported id hashes both, and not the
     * time, which may come from outside the content: a file's modification time). Row groups whose min-max
     * statistics miss the range are skipped, and the transaction sees its own uncommitted rows. The check and
     * the append cannot race: live events are written by one thread, imports one at a time
     * ({@link #importLock}), and a live event never shares an id with an imported one (their ids hash different
     * content).
     *
     * @return how many rows were appended
     */
    private static long appendNew(DuckDBConnection connection, List<AppenderRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        Set<String> known = storedIds(connection, rows);
        long appended = 0;
        try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events")) {
            for (AppenderRow row : rows) {
                if (known.add(row.id())) {
                    append(appender, row);
                    appended++;
                }
            }
        }
        return appended;
    }

    /**
     * The ids in {@code events} (committed, or in the connection's transaction) that the rows' ids could equal:
     * see {@link #appendNew}.
     */
    private static Set<String> storedIds(DuckDBConnection connection, List<AppenderRow> rows) throws SQLException {
        Map<String, long[]> ranges = new HashMap<>();
        for (AppenderRow row : rows) {
            boolean live = row.sourceSha256() == null;
            long at = live ? row.timeNanos() : row.sourceLine();
            long[] range = ranges.computeIfAbsent(live ? "" : row.sourceSha256(),
                    k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
            range[0] = Math.min(range[0], at);
            range[1] = Math.max(range[1], at);
        }
        Set<String> ids = new HashSet<>(rows.size() * 2);
        // Numbers and hex digests computed here, not event text: safe to write into the statement. (A
        // statement prepared before an append mis-reads the appended strings in DuckDB 1.5.)
        try (Statement s = connection.createStatement()) {
            for (Map.Entry<String, long[]> range : ranges.entrySet()) {
                String where = range.getKey().isEmpty()
                        ? "time_ns BETWEEN " + range.getValue()[0] + " AND " + range.getValue()[1]
                        : "source_sha256 = '" + hex(range.getKey()) + "' AND source_line BETWEEN "
                        + range.getValue()[0] + " AND " + range.getValue()[1];
                try (ResultSet r = s.executeQuery("SELECT id FROM events WHERE " + where)) {
                    while (r.next()) {
                        ids.add(r.getString(1));
                    }
                }
            }
        }
        return ids;
    }

    /** {@code digest}, checked to be hex digits only. */
    private static String hex(String digest) {
        if (!digest.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException("not a hex digest: " + digest);
        }
        return digest;
    }

    private static void append(DuckDBAppender a, AppenderRow row) throws SQLException {
        a.beginRow();
        a.append(row.id());
        a.append(row.timeNanos());
        a.append(row.vm());
        a.append(row.action());
        a.append(row.kind());
        a.append(row.pid());
        a.append(row.tid());
        a.append(row.ppid());
        a.append(row.uid());
        a.append(row.process());
        nullable(a, row.name());
        a.append(row.fieldsJson());
        a.append(row.source());
        if (row.sourceLine() < 0) {
            a.appendNull();
        } else {
            a.append(row.sourceLine());
        }
        nullable(a, row.original());
        nullable(a, row.sourceSha256());
        a.endRow();
    }

    private static void nullable(DuckDBAppender a, String value) throws SQLException {
        if (value == null) {
            a.appendNull();
        } else {
            a.append(value);
        }
    }

    private static void bind(PreparedStatement statement, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            statement.setObject(i + 1, values.get(i));
        }
    }

    private void checkUsable() {
        if (closing || closed) {
            throw new StoreException("the store " + file + " is closed");
        }
        throwIfFailed();
    }

    private void throwIfFailed() {
        StoreException f = failure;
        if (f != null) {
            throw new StoreException(f.getMessage(), f);
        }
    }

    private StoreException failed(String what, SQLException e) {
        return new StoreException(what + " in " + file + ": " + firstLine(e.getMessage()), e);
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the transaction is gone with the failure that brought us here
        }
    }

    private void autoCommitQuietly() {
        try {
            writer.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the connection is broken; the next write reports it
        }
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        return message.lines().findFirst().orElse(message);
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception ignored) {
            // closing after the real outcome is known; nothing more to report
        }
    }
}
