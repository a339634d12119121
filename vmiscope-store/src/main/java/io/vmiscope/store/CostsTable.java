package io.vmiscope.store;

import io.vmiscope.events.CostSummary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code costs} table's columns and {@link CostSummary}'s components, mapped onto each other in this one place:
 * written by {@link DuckDbEventStore#recordCosts}, read back by {@link DuckDbEventStore#costs}. Stateless.
 */
final class CostsTable {

    private static final String INSERT = "INSERT INTO costs (time_ns, vm, action, hits, hits_with_events, "
            + "hits_filtered, hits_failed, events, return_hits, periodic_runs, stopped_ns, stopped_median_ns, "
            + "stopped_p99_ns, round_trips_per_stop, bytes_per_stop, handler_ns_per_stop) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String SELECT = "SELECT action, hits, hits_with_events, hits_filtered, hits_failed, events, "
            + "return_hits, periodic_runs, stopped_ns, stopped_median_ns, stopped_p99_ns, round_trips_per_stop, "
            + "bytes_per_stop, handler_ns_per_stop FROM costs WHERE vm = ? ORDER BY time_ns, action";

    private CostsTable() {
    }

    /** Inserts one row per summary, all at {@code timeNanos}, in the connection's current transaction. */
    static void insert(Connection connection, long timeNanos, String vm, List<CostSummary> costs) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (CostSummary c : costs) {
                int i = 0;
                insert.setLong(++i, timeNanos);
                insert.setString(++i, vm);
                insert.setString(++i, c.action());
                insert.setLong(++i, c.hits());
                insert.setLong(++i, c.hitsWithEvents());
                insert.setLong(++i, c.hitsFiltered());
                insert.setLong(++i, c.hitsFailed());
                insert.setLong(++i, c.events());
                insert.setLong(++i, c.returnHits());
                insert.setLong(++i, c.periodicRuns());
                insert.setLong(++i, c.stoppedNanos());
                insert.setLong(++i, c.stoppedMedianNanos());
                insert.setLong(++i, c.stoppedP99Nanos());
                insert.setDouble(++i, c.roundTripsPerStop());
                insert.setDouble(++i, c.bytesPerStop());
                insert.setLong(++i, c.handlerNanosPerStop());
                insert.executeUpdate();
            }
        }
    }

    /** The rows of {@code vm}, oldest session first (actions by name within a session). */
    static List<CostSummary> select(Connection connection, String vm) throws SQLException {
        List<CostSummary> costs = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(SELECT)) {
            select.setString(1, vm);
            try (ResultSet r = select.executeQuery()) {
                while (r.next()) {
                    int i = 0;
                    costs.add(new CostSummary(r.getString(++i), r.getLong(++i), r.getLong(++i), r.getLong(++i),
                            r.getLong(++i), r.getLong(++i), r.getLong(++i), r.getLong(++i), r.getLong(++i),
                            r.getLong(++i), r.getLong(++i), r.getDouble(++i), r.getDouble(++i), r.getLong(++i)));
                }
            }
        }
        return costs;
    }
}
