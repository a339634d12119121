package io.vmiscope.store;

/**
 * One row of the {@code events} table, ready for the appender: built by {@link EventRows}, written by
 * {@link DuckDbEventStore}. The writer's own shape: readers get events back through {@link EventReader}.
 *
 * @param sourceLine   the line in {@code source}, or -1 for live events (stored as NULL)
 * @param original     the imported raw record, or {@code null} for live events
 * @param sourceSha256 the SHA-256 (hex) of the imported file's content, or {@code null} for live events
 */
record AppenderRow(String id, long timeNanos, String vm, String action, String kind, int pid, int tid, int ppid,
                   long uid, String process, String name, String fieldsJson, String source, long sourceLine,
                   String original, String sourceSha256) {
}
