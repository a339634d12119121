package io.vmiscope.analysis;

import io.vmiscope.events.Event;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.store.EventColumns;

/**
 * One stored event as the views show it — the one row type of the store's readers, for stored and live events
 * alike: the columns of the {@code events} table that describe the event (docs/store.md), without the imported
 * original, and how a table row reads it. Every text is guest- or log-controlled: render it only as text.
 *
 * @param id          the event's content id
 * @param timeNanos   host time, nanoseconds since the Unix epoch
 * @param action      the action or importer that produced it
 * @param kind        {@code syscall}, {@code exec}, {@code file}, …
 * @param pid         thread-group id
 * @param tid         thread id, -1 when unknown
 * @param ppid        parent's pid, -1 when unknown
 * @param uid         real uid, -1 when unknown
 * @param process     the task name as recorded (DRAKVUF: the image's NT path), possibly empty
 * @param name        the kind's main name (syscall, exec path, operation, DRAKVUF plugin), or {@code null}
 * @param fieldsJson  the kind's own fields as JSON text
 * @param source      {@code live} or the imported file
 * @param label       the name a table shows ({@link EventSummaries}): never empty
 * @param summary     the one-line summary a table shows ({@link EventSummaries}): never empty
 * @param processName the process as a table shows it: the recorded name's base name when it is a path, or,
 *                    when the record names no process, the name of the process that held the pid at the event's
 *                    time (as of the last refresh); empty when neither is known
 * @param processPath the whole path behind {@code processName} (the recorded one, else that process's image), or
 *                    {@code null}
 */
public record EventRow(String id, long timeNanos, String action, String kind, int pid, int tid, int ppid, long uid,
                       String process, String name, String fieldsJson, String source, String label, String summary,
                       String processName, String processPath) {

    /**
     * The row of a stored event, with its label and summary, and its process shown from the recorded name or,
     * when that is empty, from {@code treeName} and {@code treeImage} (the process holding the pid at the time;
     * {@code null} when unknown).
     */
    static EventRow of(String id, long timeNanos, String action, String kind, int pid, int tid, int ppid, long uid,
                       String process, String name, String fieldsJson, String source, String treeName,
                       String treeImage) {
        EventSummaries.Text text = EventSummaries.describe(kind, action, name, fieldsJson);
        String recorded = process == null ? "" : process;
        String shown = recorded.isEmpty() ? ProcessNames.shown(treeName) : ProcessNames.shown(recorded);
        String path = recorded.isEmpty() || !ProcessNames.isPath(recorded) ? treeImage : recorded;
        return new EventRow(id, timeNanos, action, kind, pid, tid, ppid, uid, recorded, name, fieldsJson, source,
                text.name(), text.summary(), shown, path);
    }

    /**
     * A live event as it will be stored (for the live stream, before it is), under its id
     * ({@link io.vmiscope.store.EventIds}): shown from its own process name only.
     *
     * @param fieldsJson the event's {@link EventColumns#fieldsJson}, as its id was computed from
     */
    public static EventRow live(String id, Event event, String fieldsJson) {
        ProcessRef p = event.process();
        return of(id, event.timeNanos(), event.action(), event.kind(), p.pid(), p.tid(), p.ppid(), p.uid(), p.name(),
                EventColumns.name(event), fieldsJson, EventColumns.LIVE_SOURCE, null, null);
    }
}
