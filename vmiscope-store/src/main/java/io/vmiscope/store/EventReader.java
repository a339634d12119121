package io.vmiscope.store;

import io.vmiscope.events.CostSummary;
import io.vmiscope.events.Event;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * What the readers of the store ask of it — the web's views and live stream, the detection engine's batch runs —
 * beside the writer side ({@link io.vmiscope.events.EventSink}, imports, retention). {@link DuckDbEventStore}
 * implements it; a module that only reads takes this interface, not the class.
 *
 * <p>Every query runs on a connection of its own, beside ingestion, and sees what was committed when it began
 * ({@link #flush()} first to include events still queued). Thread-safety: every method may be called from any
 * thread.
 */
public interface EventReader {

    /** The number of stored events that pass {@code filter}. */
    long count(EventFilter filter);

    /**
     * Streams the stored events that pass {@code filter} back as events, with their ids, in time order (ties by
     * id), to {@code handler} on the calling thread. Memory stays bounded whatever the number of events: they are
     * read in pages of a fixed size, each page resuming after the last event of the one before, so events stored
     * meanwhile behind the cursor are not seen, and events stored ahead of it are. An event comes back as
     * {@link io.vmiscope.events.EventJson} reads its stored form (header columns and {@code fields}): equal to the
     * live event that was stored; an imported event's attribute values as Jackson reads JSON, without the
     * {@code timeInferred} mark of its row (docs/store.md), which no event carries.
     *
     * @return how many events were handed to {@code handler}
     * @throws StoreException when the store fails or a row is not an event this vmiscope can read
     */
    long forEach(EventFilter filter, BiConsumer<String, Event> handler);

    /** What introspection cost the VM {@code vm}: its {@code costs} rows, oldest session first. */
    List<CostSummary> costs(String vm);

    /**
     * Waits until every event handed to the store before this call can be read.
     *
     * @throws StoreException when a write failed
     */
    void flush();
}
