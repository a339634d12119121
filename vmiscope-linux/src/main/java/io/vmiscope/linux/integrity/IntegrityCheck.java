package io.vmiscope.linux.integrity;

/**
 * One cross-view integrity check: reads several views of one piece of kernel state from a stopped guest and
 * reports where they disagree. Built for one guest ({@link IntegrityChecks#build}); construction resolves every
 * symbol and member it needs, so a check that cannot run on a kernel fails at once with a
 * {@link io.vmiscope.linux.symbols.ProfileException}, never half-working. Not thread-safe.
 */
public interface IntegrityCheck {

    /** The check's id, e.g. {@code "hidden-processes"}: what actions and alerts name it by. */
    String id();

    /**
     * One run. The VM must be stopped throughout. Never throws for bad guest data (faults are anomalies of
     * the outcome); transport failures propagate.
     */
    CheckOutcome run();
}
