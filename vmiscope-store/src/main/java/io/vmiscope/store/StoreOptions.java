package io.vmiscope.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a {@link DuckDbEventStore} ingests.
 *
 * @param queueCapacity  events that may wait for the writer thread; when the queue is full,
 *                       {@link DuckDbEventStore#accept} blocks (or drops, see {@code dropWhenFull})
 * @param batchSize      most events written in one batch (one appender pass, one {@code INSERT})
 * @param maxBatchDelay  how long the writer waits for a batch to fill before writing what it has
 * @param dropWhenFull   true: {@code accept} never blocks — a full queue drops the event, counts it in
 *                       {@link StoreStats#dropped()} and reports it through {@code warnings}; false (the
 *                       default): {@code accept} blocks until there is room (backpressure)
 * @param warnings       receives one-line warnings (dropped events); called from the writer thread
 * @param clock          the clock of retention ({@link DuckDbEventStore#deleteOlderThan}) and cost rows
 */
public record StoreOptions(int queueCapacity, int batchSize, Duration maxBatchDelay, boolean dropWhenFull,
                           Consumer<String> warnings, Clock clock) {

    public StoreOptions {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1, was " + queueCapacity);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        if (maxBatchDelay.isNegative()) {
            throw new IllegalArgumentException("maxBatchDelay must not be negative, was " + maxBatchDelay);
        }
        Objects.requireNonNull(warnings, "warnings");
        Objects.requireNonNull(clock, "clock");
    }

    /**
     * 65,536 queued events, batches of 10,000, 50 ms to fill a batch, backpressure, warnings to the
     * {@code io.vmiscope.store} platform logger, the system clock.
     */
    public static StoreOptions defaults() {
        System.Logger log = System.getLogger("io.vmiscope.store");
        return new StoreOptions(65_536, 10_000, Duration.ofMillis(50), false,
                message -> log.log(System.Logger.Level.WARNING, message), Clock.systemUTC());
    }

    public StoreOptions withQueueCapacity(int value) {
        return new StoreOptions(value, batchSize, maxBatchDelay, dropWhenFull, warnings, clock);
    }

    public StoreOptions withBatchSize(int value) {
        return new StoreOptions(queueCapacity, value, maxBatchDelay, dropWhenFull, warnings, clock);
    }

    public StoreOptions withMaxBatchDelay(Duration value) {
        return new StoreOptions(queueCapacity, batchSize, value, dropWhenFull, warnings, clock);
    }

    public StoreOptions withDropWhenFull(boolean value) {
        return new StoreOptions(queueCapacity, batchSize, maxBatchDelay, value, warnings, clock);
    }

    public StoreOptions withWarnings(Consumer<String> value) {
        return new StoreOptions(queueCapacity, batchSize, maxBatchDelay, dropWhenFull, value, clock);
    }

    public StoreOptions withClock(Clock value) {
        return new StoreOptions(queueCapacity, batchSize, maxBatchDelay, dropWhenFull, warnings, value);
    }
}
