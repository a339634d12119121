package io.vmiscope.store.imports;

/**
 * Hard limits that keep hostile or broken input from exhausting memory. Log and guest text is
 * attacker-controlled: nothing is sized from it without one of these caps.
 *
 * @param maxLineChars         longest line read; a longer one is rejected without being held in memory
 * @param maxDocumentChars     largest whole document (a Volatility JSON file, the lines of a Volatility JSONL
 *                             file) held as one snapshot's raw record; also the most text of records held
 *                             while they wait for a time
 * @param maxSnapshotEntries   most processes in one snapshot; a longer DRAKVUF start-up list is split into
 *                             snapshots marked incomplete
 * @param maxNestingDepth      deepest JSON nesting accepted (Volatility tree plugins nest one level per generation)
 * @param maxWaitingRecords    most records without a time held until the file gives one (DRAKVUF records before
 *                             the first timestamp); beyond it the oldest take the first time known, or 0
 */
public record ImportLimits(int maxLineChars, int maxDocumentChars, int maxSnapshotEntries, int maxNestingDepth,
                           int maxWaitingRecords) {

    /**
     * 64 KiB lines, 16 Mi-character documents, 65 536 processes per snapshot, nesting depth 256, 16 384 records
     * waiting for a time.
     */
    public static final ImportLimits DEFAULTS = new ImportLimits(64 * 1024, 16 * 1024 * 1024, 65_536, 256, 16_384);

    public ImportLimits {
        if (maxLineChars < 1 || maxDocumentChars < maxLineChars || maxSnapshotEntries < 1 || maxNestingDepth < 2
                || maxWaitingRecords < 1) {
            throw new IllegalArgumentException("implausible import limits: " + maxLineChars + ", " + maxDocumentChars
                    + ", " + maxSnapshotEntries + ", " + maxNestingDepth + ", " + maxWaitingRecords);
        }
    }

    /** The given limits with the default number of records waiting for a time. */
    public ImportLimits(int maxLineChars, int maxDocumentChars, int maxSnapshotEntries, int maxNestingDepth) {
        this(maxLineChars, maxDocumentChars, maxSnapshotEntries, maxNestingDepth, DEFAULTS.maxWaitingRecords());
    }
}
