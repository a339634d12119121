package io.vmiscope.store.imports;

/**
 * What became of the lines of one or more input files. Every physical line is exactly one of: it gave
 * events, it was folded into a snapshot event (the lines of a process list), it was rejected, or it was
 * blank — so {@code lines = gaveEvents + folded + rejected + blank}. Immutable.
 *
 * @param lines         every line read, blank ones included
 * @param gaveEvents    lines whose records each became events of their own
 * @param folded        lines kept inside a snapshot event (its original text holds them)
 * @param snapshots     the snapshot events the folded lines became
 * @param rejected      lines not imported (each listed as {@link ImportItem.Rejected}; one rejection may cover
 *                      the lines of a whole document)
 * @param blank         empty or white-space lines
 * @param timesInferred events whose record had no time, given the time of other records of the file
 * @param timesUnknown  events whose record had no time while no record of the file had one (or too many
 *                      waited for one): stored at time 0
 */
public record LineCounts(long lines, long gaveEvents, long folded, long snapshots, long rejected, long blank,
                         long timesInferred, long timesUnknown) {

    /** No lines. */
    public static final LineCounts NONE = new LineCounts(0, 0, 0, 0, 0, 0, 0, 0);

    public LineCounts {
        if (lines != gaveEvents + folded + rejected + blank) {
            throw new IllegalArgumentException("line counts do not add up: " + lines + " lines, " + gaveEvents
                    + " gave events, " + folded + " folded, " + rejected + " rejected, " + blank + " blank");
        }
    }

    /** The counts of both. */
    public LineCounts plus(LineCounts other) {
        return new LineCounts(lines + other.lines, gaveEvents + other.gaveEvents, folded + other.folded,
                snapshots + other.snapshots, rejected + other.rejected, blank + other.blank,
                timesInferred + other.timesInferred, timesUnknown + other.timesUnknown);
    }
}
