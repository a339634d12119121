package io.vmiscope.analysis;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * The tables the analysis derives from {@code events} (docs/store.md, "Derived tables"). They hold nothing
 * that cannot be computed again: when their layout changes ({@link #FORMAT}), they are dropped and rebuilt
 * at the next refresh instead of migrated.
 */
final class DerivedTables {

    /** The layout of the derived tables; a file with another one gets them rebuilt. */
    static final int FORMAT = 3;

    private static final List<String> TABLES = List.of("processes", "activity", "activity_10s", "activity_100ms",
            "graph_edges", "analysis_state", "syscall_categories", "file_operations");

    private static final List<String> CREATE = List.of("""
            CREATE TABLE IF NOT EXISTS processes (
                vm                VARCHAR NOT NULL,
                pid               INTEGER NOT NULL,
                start_ns          BIGINT  NOT NULL,
                end_ns            BIGINT,
                ppid              INTEGER NOT NULL,
                parent_start_ns   BIGINT,
                name              VARCHAR NOT NULL,
                image             VARCHAR,
                command_line      VARCHAR NOT NULL,
                uid               BIGINT  NOT NULL,
                origin            VARCHAR NOT NULL,
                lifetime          VARCHAR NOT NULL,
                end_reason        VARCHAR,
                exit_code         INTEGER,
                kernel_thread     BOOLEAN NOT NULL,
                last_activity_ns  BIGINT  NOT NULL,
                events            BIGINT  NOT NULL
            )""", """
            CREATE TABLE IF NOT EXISTS activity (
                vm        VARCHAR NOT NULL,
                pid       INTEGER NOT NULL,
                start_ns  BIGINT  NOT NULL,
                bucket_ns BIGINT  NOT NULL,
                events    BIGINT  NOT NULL,
                file      BIGINT  NOT NULL,
                network   BIGINT  NOT NULL,
                process   BIGINT  NOT NULL,
                memory    BIGINT  NOT NULL,
                ipc       BIGINT  NOT NULL,
                other     BIGINT  NOT NULL
            )""",
            "CREATE TABLE IF NOT EXISTS activity_10s AS SELECT * FROM activity LIMIT 0",
            "CREATE TABLE IF NOT EXISTS activity_100ms AS SELECT * FROM activity LIMIT 0", """
            CREATE TABLE IF NOT EXISTS graph_edges (
                vm        VARCHAR NOT NULL,
                pid       INTEGER NOT NULL,
                start_ns  BIGINT  NOT NULL,
                edge      VARCHAR NOT NULL,
                target    VARCHAR NOT NULL,
                grp       VARCHAR NOT NULL,
                operation VARCHAR NOT NULL,
                access    VARCHAR NOT NULL,
                events    BIGINT  NOT NULL,
                first_ns  BIGINT  NOT NULL,
                last_ns   BIGINT  NOT NULL
            )""", """
            CREATE TABLE IF NOT EXISTS analysis_state (
                vm             VARCHAR NOT NULL,
                format         INTEGER NOT NULL,
                watermark_ns   BIGINT  NOT NULL,
                events_covered BIGINT  NOT NULL,
                refreshed_ns   BIGINT  NOT NULL
            )""",
            "CREATE TABLE IF NOT EXISTS syscall_categories (syscall VARCHAR NOT NULL, category VARCHAR NOT NULL)",
            "CREATE TABLE IF NOT EXISTS file_operations (operation VARCHAR NOT NULL, access VARCHAR NOT NULL)");

    private DerivedTables() {
    }

    /**
     * Creates the tables when missing (dropping them first when they have another {@link #FORMAT}) and
     * fills the two lookup tables from {@link Vocabulary}, in one transaction.
     */
    static void prepare(Connection c) throws SQLException {
        c.setAutoCommit(false);
        boolean committed = false;
        try (Statement s = c.createStatement()) {
            if (hasOtherFormat(s)) {
                for (String table : TABLES) {
                    s.execute("DROP TABLE IF EXISTS " + table);
                }
            }
            for (String sql : CREATE) {
                s.execute(sql);
            }
            s.execute("DELETE FROM syscall_categories");
            s.execute("DELETE FROM file_operations");
            fill(c, "INSERT INTO syscall_categories VALUES (?, ?)", Vocabulary.syscallCategories());
            fill(c, "INSERT INTO file_operations VALUES (?, ?)", Vocabulary.fileOperations());
            c.commit();
            committed = true;
        } finally {
            if (!committed) {
                c.rollback();
            }
            c.setAutoCommit(true);
        }
    }

    private static boolean hasOtherFormat(Statement s) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT count(*) FROM information_schema.tables "
                + "WHERE table_name = 'analysis_state' AND table_schema = 'main'")) {
            r.next();
            if (r.getLong(1) == 0) {
                return false;
            }
        }
        try (ResultSet r = s.executeQuery("SELECT count(*) FROM analysis_state WHERE format <> " + FORMAT)) {
            r.next();
            return r.getLong(1) > 0;
        }
    }

    private static void fill(Connection c, String sql, Map<String, String> rows) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(sql)) {
            for (Map.Entry<String, String> row : rows.entrySet()) {
                insert.setString(1, row.getKey());
                insert.setString(2, row.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
