package io.vmiscope.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The store's database for modules that keep tables of their own in it: the analysis's derived tables, the
 * overhead experiments' bookkeeping. A narrow port: connections and transactions, nothing of the event writer.
 * The tables themselves are created by the store's one ordered list of schema migrations (docs/store.md), or by
 * the module at open when, like the derived tables, they hold nothing that cannot be computed again.
 * {@link DuckDbEventStore} implements it. Thread-safety: every method may be called from any thread.
 */
public interface StoreConnections {

    /** Work on a connection inside a transaction; its SQL failures are reported by {@link #inTransaction}. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** The store's file (for messages). */
    Path file();

    /**
     * A new connection to the store's database (the tables of docs/store.md), running beside ingestion and seeing
     * every committed batch. The caller closes it, before closing the store.
     *
     * @throws StoreException when the store is closed or no connection can be opened
     */
    Connection openConnection();

    /**
     * Runs {@code work} in one transaction on a new connection: committed when it returns, rolled back when it
     * throws (nothing of it is stored then).
     *
     * @param what what the work does, for the message of a failure (e.g. {@code "cannot store run 3"})
     * @return what {@code work} returned
     * @throws StoreException naming {@code what} and the file when the SQL fails; what {@code work} throws
     *                        otherwise, unchanged
     */
    default <T> T inTransaction(String what, SqlWork<T> work) {
        try (Connection connection = openConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(what + " in " + file() + ": " + DuckDbEventStore.firstLine(e.getMessage()), e);
        }
    }
}
