package io.vmiscope.store;

import io.vmiscope.events.Event;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.store.imports.ImportItem;

/**
 * Turns events into rows for the appender: the id ({@link EventIds}), the derived columns ({@link EventColumns})
 * and, for imported events, where they came from. Not thread-safe (its {@link EventIds}): each thread has its own.
 */
final class EventRows {

    private final EventIds ids = new EventIds();

    /** A row for an event from live introspection. */
    AppenderRow live(Event event) {
        String fields = EventColumns.fieldsJson(event);
        return row(ids.live(event, fields), event, fields, EventColumns.LIVE_SOURCE, -1, null, null);
    }

    /**
     * A row for an event that a reader parsed from the file whose content is {@code content}. An event whose time
     * was inferred carries {@code "timeInferred": true} after its own fields.
     */
    AppenderRow imported(ImportItem.Parsed item, FileContent content) {
        Event event = item.event();
        String fields = item.timeInferred() ? EventColumns.fieldsJsonWithTimeInferred(event)
                : EventColumns.fieldsJson(event);
        return row(ids.imported(item, content), event, fields, content.source(), item.line(), item.rawRecord(),
                content.sha256Hex());
    }

    private static AppenderRow row(String id, Event event, String fields, String source, long line, String original,
                                   String sha) {
        ProcessRef p = event.process();
        return new AppenderRow(id, event.timeNanos(), event.vm(), event.action(), event.kind(), p.pid(), p.tid(),
                p.ppid(), p.uid(), p.name(), EventColumns.name(event), fields, source, line, original, sha);
    }
}
