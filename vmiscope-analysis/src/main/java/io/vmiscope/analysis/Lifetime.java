package io.vmiscope.analysis;

/**
 * How much of a process's life monitoring saw — the colours of DRAKVUF Sandbox's process tree (running
 * before monitoring / started and ended / still running), with "running before" split by whether the end
 * was seen.
 */
public enum Lifetime {
    /** Already running when first seen (start-up list, first snapshot, or activity without a creation event); not seen ending. */
    RUNNING_BEFORE_MONITORING(false, false),
    /** Already running when first seen, and seen ending (exit, or gone from a later complete snapshot). */
    ENDED_DURING_MONITORING(false, true),
    /** Creation seen (fork, exec, or appearance in a snapshot after the first) and end seen. */
    STARTED_AND_ENDED(true, true),
    /** Creation seen; still running at the newest event analysed. */
    STARTED_STILL_RUNNING(true, false);

    private final boolean startSeen;
    private final boolean endSeen;

    Lifetime(boolean startSeen, boolean endSeen) {
        this.startSeen = startSeen;
        this.endSeen = endSeen;
    }

    /** Whether monitoring saw the process being created. */
    public boolean startSeen() {
        return startSeen;
    }

    /** Whether monitoring saw the process ending. */
    public boolean endSeen() {
        return endSeen;
    }

    static Lifetime of(boolean startSeen, boolean endSeen) {
        for (Lifetime l : values()) {
            if (l.startSeen == startSeen && l.endSeen == endSeen) {
                return l;
            }
        }
        throw new AssertionError("every combination has a value");
    }
}
