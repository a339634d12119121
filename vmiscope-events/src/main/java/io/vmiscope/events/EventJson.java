package io.vmiscope.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The documented JSON-lines form of an event (docs/events.md): the common header first, then the
 * kind's fields. Guest strings are written as JSON strings only, escaped by Jackson.
 */
public final class EventJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventJson() {
    }

    /** The event as an ordered map: header, then fields. */
    public static Map<String, Object> toMap(Event event) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", event.timeNanos());
        m.put("vm", event.vm());
        m.put("action", event.action());
        m.put("kind", event.kind());
        ProcessRef p = event.process();
        m.put("pid", p.pid());
        m.put("tid", p.tid());
        m.put("ppid", p.ppid());
        m.put("uid", p.uid());
        m.put("process", p.name());
        m.putAll(event.fields());
        return m;
    }

    /** One line of JSON, without the newline. */
    public static String toLine(Event event) {
        try {
            return JSON.writeValueAsString(toMap(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write event as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * A sink that writes one JSON line per event to {@code out}, flushing after each line so that
     * nothing reported is lost when the process ends. Thread-safe.
     */
    public static EventSink writer(OutputStream out) {
        return new EventSink() {
            @Override
            public synchronized void accept(Event event) {
                try {
                    out.write((toLine(event) + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write event: " + e.getMessage(), e);
                }
            }

            @Override
            public synchronized void close() {
                try {
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }
}
