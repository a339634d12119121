package io.vmiscope.overhead.workload;

import io.vmiscope.overhead.budget.WorkloadProbe;

/**
 * A running workload's own progress as a budget controller reads it ({@link Workload#probe}); closing
 * stops following it. It reads nothing until it has a {@link #baseline}.
 */
public interface ProgressProbe extends WorkloadProbe, AutoCloseable {

    /**
     * Takes the workload as it ran since the probe started as what later readings compare with;
     * {@code unmonitored} is the workload's rate measured meanwhile.
     */
    void baseline(Rate unmonitored);

    @Override
    void close();
}
