package io.vmiscope.store.imports;

import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.ProcessSnapshotEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * DRAKVUF's start-up process list being gathered: consecutive {@code RunningProcess} records, bounded by the
 * snapshot limits, that become one {@link ProcessSnapshotEvent} holding their text. Its time is the first one
 * known while it is gathered. Not thread-safe.
 */
final class StartupList {

    private final ImportLimits limits;
    private final long firstLine;
    private final int ordinal;
    private final List<ProcessSnapshotEvent.Entry> entries = new ArrayList<>();
    private final StringBuilder raw = new StringBuilder();
    private boolean cut;
    private boolean timeKnown;
    private long timeNanos;
    private boolean timeInferred;

    /**
     * @param firstLine the line of its first record
     * @param ordinal   the ordinal its first record took on that line
     * @param cut       it continues a list cut at the limits: it is incomplete
     */
    StartupList(ImportLimits limits, long firstLine, int ordinal, boolean cut) {
        this.limits = limits;
        this.firstLine = firstLine;
        this.ordinal = ordinal;
        this.cut = cut;
    }

    /** Whether one more record of this text fits. */
    boolean fits(String record) {
        return entries.size() < limits.maxSnapshotEntries()
                && raw.length() + 1L + record.length() <= limits.maxDocumentChars();
    }

    /** The list ends here because the next record did not fit: it is incomplete. */
    void cut() {
        cut = true;
    }

    /**
     * Adds a record's entry; {@code timeNanos} is the time known when it was read ({@code null}: none yet), and
     * {@code own} whether that is the record's own time.
     */
    void add(ProcessSnapshotEvent.Entry entry, String record, Long timeNanos, boolean own) {
        if (!timeKnown && timeNanos != null) {
            timeKnown = true;
            this.timeNanos = timeNanos;
            timeInferred = !own || !entries.isEmpty();
        }
        if (!raw.isEmpty()) {
            raw.append('\n');
        }
        raw.append(record);
        entries.add(entry);
    }

    boolean timeKnown() {
        return timeKnown;
    }

    long timeNanos() {
        return timeNanos;
    }

    /** The list's time is not the own time of its first record. */
    boolean timeInferred() {
        return timeInferred;
    }

    long rawChars() {
        return raw.length();
    }

    /** The snapshot event, at {@code time}. */
    ImportItem.Parsed snapshot(String file, String vm, long time, boolean inferred) {
        List<Integer> pids = entries.stream().map(ProcessSnapshotEvent.Entry::pid).toList();
        ProcessSnapshotEvent snapshot = new ProcessSnapshotEvent(time, vm, "drakvuf:procmon", ProcessRef.NONE,
                List.copyOf(entries), pids, List.of(), !cut, false);
        return new ImportItem.Parsed(snapshot, file, firstLine, ordinal, raw.toString(), inferred);
    }
}
