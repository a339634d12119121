package io.vmiscope.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaTest {

    @TempDir
    Path dir;

    @Test
    void newFile_getsEveryTable_atTheCurrentVersion() throws SQLException {
        Path file = dir.resolve("new.duckdb");
        try (DuckDbEventStore store = DuckDbEventStore.open(file, StoreOptions.defaults())) {
            assertThat(store.schemaVersion()).isEqualTo(Schema.CURRENT_VERSION);
            try (Connection c = store.openConnection()) {
                assertThat(tables(c)).contains("events", "costs", "schema_version");
                assertThat(single(c, "SELECT count(*) FROM schema_version")).isEqualTo(Schema.MIGRATIONS.size());
            }
        }
    }

    @Test
    void olderFile_isMigratedOnOpen_andKeepsItsEvents() throws SQLException {
        Path file = dir.resolve("old.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file);
             Statement s = c.createStatement()) {
            assertThat(Schema.migrate(c, file, 3)).isEqualTo(3);
            s.execute("INSERT INTO events VALUES ('x1', 5, 'demo', 'pslist', 'exec', 1, 1, 0, 0, 'init', '/sbin/init',"
                    + " '{}', 'live', NULL, NULL)");
        }
        try (DuckDbEventStore store = DuckDbEventStore.open(file, StoreOptions.defaults());
             Connection c = store.openConnection()) {
            assertThat(store.schemaVersion()).isEqualTo(Schema.CURRENT_VERSION);
            assertThat(tables(c)).contains("costs");
            assertThat(store.count(EventFilter.ALL)).isEqualTo(1);
            assertThat(single(c, "SELECT count(*) FROM duckdb_indexes() WHERE index_name = 'costs_vm_time'")).isEqualTo(1);
            assertThat(single(c, "SELECT count(*) FROM duckdb_indexes() WHERE table_name = 'events'"))
                    .as("step 4 drops the events indexes of step 3").isZero();
        }
    }

    @Test
    void newerFile_isRefused_withOneLine() throws SQLException {
        Path file = dir.resolve("future.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file);
             Statement s = c.createStatement()) {
            Schema.migrate(c, file, Schema.CURRENT_VERSION);
            s.execute("INSERT INTO schema_version VALUES (99, 'from the future', 0)");
        }
        assertThatThrownBy(() -> DuckDbEventStore.open(file, StoreOptions.defaults()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 99")
                .hasMessageContaining("use a newer vmiscope")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void unopenableFile_isRefused_withOneLine() {
        assertThatThrownBy(() -> DuckDbEventStore.open(Path.of("/proc/no/such/dir/x.duckdb"), StoreOptions.defaults()))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot open store /proc/no/such/dir/x.duckdb")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    static java.util.List<String> tables(Connection c) throws SQLException {
        java.util.List<String> names = new java.util.ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT table_name FROM duckdb_tables()")) {
            while (r.next()) {
                names.add(r.getString(1));
            }
        }
        return names;
    }

    static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
