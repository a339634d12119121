package io.vmiscope.session;

import io.vmiscope.events.Event;
import io.vmiscope.events.EventSink;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a session's events go, built up front and fixed for the session: the output (printed lines or JSON
 * lines), the store, the browsers' stream, detectors. Each event goes to each, in the order they were added,
 * on the monitor's thread — a slow sink slows the monitor, so sinks queue (the store and the stream do).
 * Closing closes every sink but those marked as closed by their owner (the store is closed after the costs
 * are written into it).
 */
public final class SessionSinks implements EventSink {

    private final List<EventSink> all = new ArrayList<>();
    private final List<EventSink> closedHere = new ArrayList<>();

    /** A sink this session closes when it ends. */
    public SessionSinks add(EventSink sink) {
        all.add(sink);
        closedHere.add(sink);
        return this;
    }

    /** A sink its owner closes (the store, a server's stream). */
    public SessionSinks addOwnedElsewhere(EventSink sink) {
        all.add(sink);
        return this;
    }

    @Override
    public void accept(Event event) {
        for (EventSink sink : all) {
            sink.accept(event);
        }
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (EventSink sink : closedHere) {
            try {
                sink.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
