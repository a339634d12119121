package io.vmiscope.detect;

import io.vmiscope.events.AlertEvent;
import io.vmiscope.store.DuckDbEventStore;
import io.vmiscope.store.EventFilter;
import io.vmiscope.store.StoreStats;
import io.vmiscope.store.StoredEvents;

import java.util.function.Consumer;

/**
 * Detection over stored events — imported DRAKVUF/Volatility data or an earlier live run: the events of the
 * filter, oldest first, through one detector; its alerts are handed to the caller and stored. An alert's id
 * derives from its VM, rule and evidence, so running again over the same events stores nothing new.
 */
public final class BatchDetection {

    /**
     * @param eventsRead  stored events the detector saw
     * @param alerts      alerts raised
     * @param alertsNew   of those, stored now (the rest were stored by an earlier run)
     */
    public record Result(long eventsRead, long alerts, long alertsNew) {
    }

    private BatchDetection() {
    }

    /**
     * Runs {@code detector} over the events of {@code filter} in {@code store} and stores its alerts.
     *
     * @param each sees every alert as it is raised (to print it)
     */
    public static Result run(DuckDbEventStore store, EventFilter filter, Detector detector, Consumer<AlertEvent> each) {
        StoreStats before = store.stats();
        long[] alerts = {0};
        Consumer<AlertEvent> raise = alert -> {
            alerts[0]++;
            each.accept(alert);
            store.accept(alert);
        };
        long read = new StoredEvents(store).forEach(filter, (id, event) -> detector.accept(id, event).forEach(raise));
        detector.finish().forEach(raise);
        store.flush();
        return new Result(read, alerts[0], store.stats().stored() - before.stored());
    }
}
