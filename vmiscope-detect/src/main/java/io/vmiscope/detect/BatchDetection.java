package io.vmiscope.detect;

import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.EventSink;
import io.vmiscope.store.EventFilter;
import io.vmiscope.store.EventReader;

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
     * Runs {@code detector} over the events of {@code filter} that {@code reader} gives back, hands each alert to
     * {@code each} and stores it through {@code sink} (the same store).
     *
     * @param each sees every alert as it is raised (to print it)
     */
    public static Result run(EventReader reader, EventSink sink, EventFilter filter, Detector detector,
                             Consumer<AlertEvent> each) {
        EventFilter alerts = filter.withKind("alert");
        long before = reader.count(alerts);
        long[] raised = {0};
        Consumer<AlertEvent> raise = alert -> {
            raised[0]++;
            each.accept(alert);
            sink.accept(alert);
        };
        long read = reader.forEach(filter, (id, event) -> detector.accept(id, event).forEach(raise));
        detector.finish().forEach(raise);
        reader.flush();
        return new Result(read, raised[0], reader.count(alerts) - before);
    }
}
