package io.vmiscope.analysis;

/**
 * One stored event as the per-process views show it: the columns of the {@code events} table that describe
 * the event (docs/store.md), without the imported original. Every text is guest- or log-controlled: render it
 * only as text.
 *
 * @param id         the event's content id
 * @param timeNanos  host time, nanoseconds since the Unix epoch
 * @param action     the action or importer that produced it
 * @param kind       {@code syscall}, {@code exec}, {@code file}, …
 * @param pid        thread-group id
 * @param tid        thread id, -1 when unknown
 * @param ppid       parent's pid, -1 when unknown
 * @param uid        real uid, -1 when unknown
 * @param process    the task name
 * @param name       the kind's main name (syscall, exec path, operation, DRAKVUF plugin), or {@code null}
 * @param fieldsJson the kind's own fields as JSON text
 * @param source     {@code live} or the imported file
 */
public record EventRow(String id, long timeNanos, String action, String kind, int pid, int tid, int ppid, long uid,
                       String process, String name, String fieldsJson, String source) {
}
