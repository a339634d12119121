package io.vmiscope.store.imports;

/**
 * Counts what became of each line of one file while a reader reads it; {@link #finish} checks that every
 * line was counted exactly once. Not thread-safe: one per stream.
 */
final class LineTally {

    private long gaveEvents;
    private long folded;
    private long snapshots;
    private long rejected;
    private long blank;
    private long timesInferred;
    private long timesUnknown;

    void gaveEvents() {
        gaveEvents++;
    }

    void folded() {
        folded++;
    }

    void snapshot() {
        snapshots++;
    }

    void rejected() {
        rejected++;
    }

    void blank() {
        blank++;
    }

    /** {@code events} events got the time of other records. */
    void timesInferred(long events) {
        timesInferred += events;
    }

    /** {@code events} events got no time at all (0). */
    void timesUnknown(long events) {
        timesUnknown += events;
    }

    /**
     * The file's last item.
     *
     * @throws IllegalStateException when the lines counted are not the {@code linesRead} lines of the file: a
     *                               reader lost track of a line
     */
    ImportItem.FileRead finish(String file, long linesRead) {
        try {
            return new ImportItem.FileRead(file, new LineCounts(linesRead, gaveEvents, folded, snapshots, rejected,
                    blank, timesInferred, timesUnknown));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
    }
}
