package io.vmiscope.store;

import io.vmiscope.store.imports.LineCounts;

/**
 * What an import did (so far, when handed to {@link Importer.Listener#committed}).
 *
 * @param lines            what became of every line of the files read to their end: each line gave events, was
 *                         folded into a snapshot, was rejected or was blank
 * @param linesOfFileAhead lines read of the file still being read, not yet in {@code lines} (0 once the import is
 *                         done)
 * @param imported         events stored as new rows
 * @param duplicates       events already in the store (imported before, from this content under any name),
 *                         skipped
 */
public record ImportSummary(LineCounts lines, long linesOfFileAhead, long imported, long duplicates) {

    /** Every line read, blank ones included. */
    public long linesRead() {
        return lines.lines() + linesOfFileAhead;
    }

    /** Lines that could not be imported. */
    public long rejected() {
        return lines.rejected();
    }

    /** Events now known to be in the store from this import: new and already present. */
    public long committed() {
        return imported + duplicates;
    }

    /**
     * One line for people, e.g. {@code 4001 lines read: 3921 gave events, 79 folded into 1 snapshot, 0 rejected,
     * 1 blank; 3922 events imported, 0 duplicates skipped}, followed by the events whose time was inferred or is
     * unknown, when there are any.
     */
    public String describe() {
        StringBuilder s = new StringBuilder().append(linesRead()).append(" lines read: ")
                .append(lines.gaveEvents()).append(" gave events, ")
                .append(lines.folded()).append(" folded into ").append(lines.snapshots())
                .append(lines.snapshots() == 1 ? " snapshot, " : " snapshots, ")
                .append(lines.rejected()).append(" rejected, ")
                .append(lines.blank()).append(" blank; ")
                .append(imported).append(" events imported, ")
                .append(duplicates).append(" duplicates skipped");
        if (lines.timesInferred() > 0) {
            s.append("; ").append(lines.timesInferred()).append(" events took their time from other records");
        }
        if (lines.timesUnknown() > 0) {
            s.append("; ").append(lines.timesUnknown())
                    .append(" events have no time (stored at time 0): no record before them had one");
        }
        return s.toString();
    }
}
