package io.vmiscope.store;

/**
 * The store failed: the database file cannot be opened or written, its schema is newer than this
 * vmiscope knows, or a write was rejected. An infrastructure failure — unchecked, ends the session.
 * The message is one line for the user.
 */
public final class StoreException extends RuntimeException {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
