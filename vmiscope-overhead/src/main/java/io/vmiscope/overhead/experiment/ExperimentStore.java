package io.vmiscope.overhead.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmiscope.store.StoreConnections;
import io.vmiscope.store.StoreException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The experiments' bookkeeping in the store's file: tables {@code experiments} (a name and the design that fixes
 * its plan) and {@code experiment_runs} (one row per finished run), docs/store.md. Their rows are written and read
 * here only; the tables come from the store's ordered schema migrations (step 5), so every vmiscope opens and
 * migrates a file the same way whatever command opens it.
 *
 * <p>Each call is one transaction on a connection of its own ({@link StoreConnections#inTransaction}), beside
 * ingestion. Thread-safe.
 */
public final class ExperimentStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StoreConnections store;

    public ExperimentStore(StoreConnections store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Registers an experiment's design, or checks it against the stored one when the experiment exists (a resumed
     * experiment must run the same plan). Its creation time is the wall clock's now. Designs are compared as JSON values: the order of keys does not matter.
     *
     * @return {@code true} when the experiment is new
     * @throws StoreException when an experiment of that name exists with another design
     */
    public boolean register(String name, String designJson) {
        Instant now = Instant.now();
        long createdNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        return store.inTransaction("cannot register experiment '" + name + "'", c -> {
            try (PreparedStatement find = c.prepareStatement("SELECT design FROM experiments WHERE name = ?")) {
                find.setString(1, name);
                try (ResultSet r = find.executeQuery()) {
                    if (r.next()) {
                        if (!sameJson(r.getString(1), designJson)) {
                            throw new StoreException("experiment '" + name + "' exists in " + store.file()
                                    + " with another design: give the same options to resume it, or a new --experiment name");
                        }
                        return false;
                    }
                }
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO experiments (name, design, created_ns) VALUES (?, ?, ?)")) {
                insert.setString(1, name);
                insert.setString(2, designJson);
                insert.setLong(3, createdNanos);
                insert.executeUpdate();
            }
            return true;
        });
    }

    /**
     * Stores one finished run of an experiment.
     *
     * @throws StoreException when the run is stored already (a run is stored once) or the store fails
     */
    public void record(ExperimentRun run) {
        store.inTransaction("cannot store run " + run.run() + " of experiment '" + run.experiment() + "'", c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO experiment_runs (experiment, run, kind, "
                    + "workload, combination, repetition, time_ns, ops_per_second, wall_seconds, detail) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int i = 0;
                insert.setString(++i, run.experiment());
                insert.setInt(++i, run.run());
                insert.setString(++i, run.kind());
                insert.setString(++i, run.workload());
                insert.setString(++i, run.combination());
                insert.setInt(++i, run.repetition());
                insert.setLong(++i, run.timeNanos());
                insert.setDouble(++i, run.opsPerSecond());
                insert.setDouble(++i, run.wallSeconds());
                insert.setString(++i, run.detailJson());
                return insert.executeUpdate();
            }
        });
    }

    /** The stored runs of an experiment, in plan order. */
    public List<ExperimentRun> runs(String experiment) {
        return store.inTransaction("cannot read the runs of experiment '" + experiment + "'", c -> {
            List<ExperimentRun> runs = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT experiment, run, kind, workload, combination, "
                    + "repetition, time_ns, ops_per_second, wall_seconds, detail FROM experiment_runs "
                    + "WHERE experiment = ? ORDER BY run")) {
                select.setString(1, experiment);
                try (ResultSet r = select.executeQuery()) {
                    while (r.next()) {
                        runs.add(new ExperimentRun(r.getString(1), r.getInt(2), r.getString(3), r.getString(4),
                                r.getString(5), r.getInt(6), r.getLong(7), r.getDouble(8), r.getDouble(9),
                                r.getString(10)));
                    }
                }
            }
            return runs;
        });
    }

    /** The names of the stored experiments, oldest first. */
    public List<String> names() {
        return store.inTransaction("cannot list experiments", c -> {
            List<String> names = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT name FROM experiments ORDER BY created_ns, name")) {
                while (r.next()) {
                    names.add(r.getString(1));
                }
            }
            return names;
        });
    }

    private static boolean sameJson(String a, String b) {
        try {
            return JSON.readTree(a).equals(JSON.readTree(b));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("an experiment design must be JSON: " + e.getOriginalMessage(), e);
        }
    }
}
