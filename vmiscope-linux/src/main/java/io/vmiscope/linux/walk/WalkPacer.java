package io.vmiscope.linux.walk;

/**
 * Called by a walker between its steps. The monitor's pacer lets the VM run for a moment between
 * steps (an unpaused snapshot: shorter stops, a less consistent view, as the kernel may change the
 * structure mid-walk — which the walk's bounds and anomalies absorb).
 */
@FunctionalInterface
public interface WalkPacer {

    /** Keeps the VM stopped for the whole walk. */
    WalkPacer PAUSED = () -> { };

    /** Runs between two steps; returns with the VM stopped and every cached translation dropped. */
    void betweenSteps();
}
