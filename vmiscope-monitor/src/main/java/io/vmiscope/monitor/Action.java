package io.vmiscope.monitor;

import java.util.List;
import java.util.Optional;

/**
 * An introspection action: what it hooks and what it does periodically. Actions are built complete —
 * a missing symbol or member makes the constructor throw with a clear message, never a half-working
 * action. Immutable; the monitor owns its run-time state.
 */
public sealed interface Action permits SnapshotAction, ProcessEventsAction, SyscallTraceAction, FileEventsAction,
        NetworkEventsAction, CpuTimeAction, IntegrityCheckAction {

    /** A stable id, e.g. {@code "syscalls:file,network"} or {@code "pslist:5s"}. */
    String id();

    /** Kernel function entries to hook; none for purely periodic actions. */
    default List<Hook> hooks() {
        return List.of();
    }

    /** Periodic work, if any; none for purely hook-driven actions. */
    default Optional<Periodic> periodic() {
        return Optional.empty();
    }
}
