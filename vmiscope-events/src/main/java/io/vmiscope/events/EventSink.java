package io.vmiscope.events;

/**
 * Where events go (a JSON-lines writer, the store, the UI's live stream). Called from the monitor's
 * thread while the VM may be stopped, so implementations must be quick: hand the event over and
 * return. Implementations say whether they are thread-safe.
 */
@FunctionalInterface
public interface EventSink extends AutoCloseable {

    void accept(Event event);

    /** Flushes and releases resources; the default does nothing. */
    @Override
    default void close() {
    }
}
