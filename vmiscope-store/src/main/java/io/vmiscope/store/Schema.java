package io.vmiscope.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The store's tables and how a file gets from any older version to the current one. Each step runs
 * in its own transaction together with its {@code schema_version} row, so a crash leaves the file at
 * the previous version, and the next open applies the step again. docs/store.md describes the result.
 */
final class Schema {

    /** One step: the statements that take a file from {@code version - 1} to {@code version}. */
    record Migration(int version, String description, List<String> statements) {
    }

    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "events table", List.of("""
                    CREATE TABLE events (
                        id          VARCHAR NOT NULL,
                        time_ns     BIGINT  NOT NULL,
                        vm          VARCHAR NOT NULL,
                        action      VARCHAR NOT NULL,
                        kind        VARCHAR NOT NULL,
                        pid         INTEGER NOT NULL,
                        tid         INTEGER NOT NULL,
                        ppid        INTEGER NOT NULL,
                        uid         BIGINT  NOT NULL,
                        process     VARCHAR NOT NULL,
                        name        VARCHAR,
                        fields      JSON    NOT NULL,
                        source      VARCHAR NOT NULL,
                        source_line BIGINT,
                        original    VARCHAR
                    )""")),
            new Migration(2, "costs table", List.of("""
                    CREATE TABLE costs (
                        time_ns                BIGINT  NOT NULL,
                        vm                     VARCHAR NOT NULL,
                        action                 VARCHAR NOT NULL,
                        hits                   BIGINT  NOT NULL,
                        hits_with_events       BIGINT  NOT NULL,
                        hits_filtered          BIGINT  NOT NULL,
                        hits_failed            BIGINT  NOT NULL,
                        events                 BIGINT  NOT NULL,
                        return_hits            BIGINT  NOT NULL,
                        periodic_runs          BIGINT  NOT NULL,
                        stopped_ns             BIGINT  NOT NULL,
                        stopped_median_ns      BIGINT  NOT NULL,
                        stopped_p99_ns         BIGINT  NOT NULL,
                        round_trips_per_stop   DOUBLE  NOT NULL,
                        bytes_per_stop         DOUBLE  NOT NULL,
                        handler_ns_per_stop    BIGINT  NOT NULL
                    )""")),
            // Time windows and single processes are selective: ART indexes. vm and kind have a handful
            // of values each; filters on them run on DuckDB's automatic min-max statistics and
            // vectorised scans, which an ART index would only slow down at every insert.
            new Migration(3, "indexes for time and pid queries", List.of(
                    "CREATE INDEX events_time ON events (time_ns)",
                    "CREATE INDEX events_pid ON events (pid)",
                    "CREATE INDEX costs_vm_time ON costs (vm, time_ns)")),
            // The events indexes cost every append (7-10% of an import) and memory that grows with the
            // table, and the queries meet their goals without them: time windows skip row groups by
            // their min-max statistics, one pid is a vectorised scan of one column (docs/benchmarks.md).
            new Migration(4, "events without indexes: min-max statistics serve the queries", List.of(
                    "DROP INDEX IF EXISTS events_time",
                    "DROP INDEX IF EXISTS events_pid")),
            new Migration(5, "overhead experiments and their runs", List.of("""
                    CREATE TABLE experiments (
                        name       VARCHAR PRIMARY KEY,
                        design     JSON    NOT NULL,
                        created_ns BIGINT  NOT NULL
                    )""", """
                    CREATE TABLE experiment_runs (
                        experiment     VARCHAR NOT NULL,
                        run            INTEGER NOT NULL,
                        kind           VARCHAR NOT NULL,
                        workload       VARCHAR NOT NULL,
                        combination    VARCHAR NOT NULL,
                        repetition     INTEGER NOT NULL,
                        time_ns        BIGINT  NOT NULL,
                        ops_per_second DOUBLE  NOT NULL,
                        wall_seconds   DOUBLE  NOT NULL,
                        detail         JSON    NOT NULL,
                        PRIMARY KEY (experiment, run)
                    )""")),
            // Imported ids hash the file's content instead of its path; the duplicate check of an imported
            // row reads the rows of the same content and lines (DuckDbEventStore.appendNew).
            new Migration(6, "the content (SHA-256) of each imported event's file", List.of(
                    "ALTER TABLE events ADD COLUMN source_sha256 VARCHAR")),
            // Alerts are events of kind 'alert'; what people decided about one is kept beside it, keyed by its
            // content-derived id, so a re-run of detection (same id) keeps the mark.
            new Migration(7, "marks people set on alerts", List.of("""
                    CREATE TABLE alert_marks (
                        alert_id VARCHAR PRIMARY KEY,
                        mark     VARCHAR NOT NULL,
                        time_ns  BIGINT  NOT NULL,
                        note     VARCHAR NOT NULL
                    )""")));

    /** The version this code writes and reads. */
    static final int CURRENT_VERSION = MIGRATIONS.get(MIGRATIONS.size() - 1).version();

    private Schema() {
    }

    /**
     * Brings the file up to {@code targetVersion}, applying the missing steps in order.
     *
     * @return the version the file is at afterwards
     * @throws StoreException when the file is at a newer version than this code knows
     */
    static int migrate(Connection connection, Path file, int targetVersion) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                    + "version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_ns BIGINT NOT NULL)");
        }
        int version = version(connection);
        if (version > CURRENT_VERSION) {
            throw new StoreException(file + " has store schema version " + version + ", this vmiscope knows up to "
                    + CURRENT_VERSION + ": use a newer vmiscope");
        }
        for (Migration step : MIGRATIONS) {
            if (step.version() <= version || step.version() > targetVersion) {
                continue;
            }
            apply(connection, step);
            version = step.version();
        }
        return version;
    }

    /** The file's version: the highest applied step, 0 for a new file. */
    static int version(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
            r.next();
            return r.getInt(1);
        }
    }

    private static void apply(Connection connection, Migration step) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement();
             PreparedStatement mark = connection.prepareStatement(
                     "INSERT INTO schema_version (version, description, applied_ns) VALUES (?, ?, ?)")) {
            for (String sql : step.statements()) {
                s.execute(sql);
            }
            mark.setInt(1, step.version());
            mark.setString(2, step.description());
            mark.setLong(3, System.currentTimeMillis() * 1_000_000L);
            mark.executeUpdate();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
