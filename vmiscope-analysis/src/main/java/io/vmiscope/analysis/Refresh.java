package io.vmiscope.analysis;

/**
 * What one {@link Analysis#refresh} did.
 *
 * @param vm              the VM
 * @param mode            how the tables were brought up to date
 * @param eventsAnalysed  events aggregated by this refresh (the new ones when incremental)
 * @param processes       processes the VM has now
 * @param elapsedMillis   wall time of the refresh
 */
public record Refresh(String vm, Mode mode, long eventsAnalysed, int processes, long elapsedMillis) {

    /** How the derived tables were brought up to date. */
    public enum Mode {
        /** Nothing stored since the previous refresh. */
        UNCHANGED,
        /** Only events newer than the previous refresh's newest were aggregated (lifetimes are always derived whole). */
        INCREMENTAL,
        /** Everything was derived again: first refresh, older events arrived late, or events were deleted. */
        FULL
    }
}
