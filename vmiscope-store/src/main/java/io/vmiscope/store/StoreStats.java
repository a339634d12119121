package io.vmiscope.store;

/**
 * What a store has done with the events handed to it since it was opened (live events through
 * {@link DuckDbEventStore#accept} and imported batches alike). Once the store is flushed or closed,
 * {@code received == stored + duplicates + dropped}; before that the difference is still queued.
 *
 * @param received   events handed to the store
 * @param stored     events written as new rows
 * @param duplicates events whose id was already stored (skipped: ingestion is idempotent)
 * @param dropped    events dropped because the queue was full (only with {@link StoreOptions#dropWhenFull()})
 */
public record StoreStats(long received, long stored, long duplicates, long dropped) {

    /** Events received but not yet written. */
    public long pending() {
        return received - stored - duplicates - dropped;
    }

    /** One line for people, e.g. {@code "1200 events received: 1190 stored, 10 duplicates, 0 dropped"}. */
    public String describe() {
        return received + " events received: " + stored + " stored, " + duplicates + " duplicates, "
                + dropped + " dropped";
    }
}
