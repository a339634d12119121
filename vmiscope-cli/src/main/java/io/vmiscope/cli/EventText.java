package io.vmiscope.cli;

import io.vmiscope.events.Event;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.stream.Collectors;

/** One readable line per event for the terminal; guest text is escaped so it cannot drive the terminal. */
final class EventText {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
    private static final int MAX_LINE = 400;

    private EventText() {
    }

    static String line(Event event) {
        String time = TIME.format(Instant.ofEpochSecond(0, event.timeNanos()));
        String who = event.process().pid() < 0 ? "" : " pid " + event.process().pid()
                + (event.process().tid() != event.process().pid() ? "/" + event.process().tid() : "")
                + (event.process().uid() < 0 ? "" : " uid " + event.process().uid())
                + " (" + event.process().name() + ")";
        String fields = event.fields().entrySet().stream()
                .filter(e -> !(e.getValue() instanceof java.util.List<?> l && l.size() > 8))
                .map(e -> e.getKey() + "=" + value(e.getValue())).collect(Collectors.joining(" "));
        String line = time + " " + event.kind() + who + " " + fields;
        line = ProcessListRenderer.safe(line);
        return line.length() <= MAX_LINE ? line : line.substring(0, MAX_LINE - 1) + "…";
    }

    private static String value(Object v) {
        if (v instanceof Map<?, ?> m) {
            return m.containsKey("value") ? String.valueOf(m.get("value")) : m.toString();
        }
        if (v instanceof java.util.List<?> list) {
            return list.stream().map(EventText::value).collect(Collectors.joining(", ", "[", "]"));
        }
        return String.valueOf(v);
    }
}
