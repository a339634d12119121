package io.vmiscope.events;

import java.util.Map;

/**
 * One thing vmiscope saw. Thread-safe (immutable).
 *
 * <p>Common to every event: when it happened on the host's clock, in which VM, which introspection
 * action (or importer) produced it, its kind and the process it is about. The rest is the kind's own.
 */
public sealed interface Event permits SyscallEvent, ExecEvent, ForkEvent, ExitEvent, FileEvent, NetworkEvent,
        ProcessSnapshotEvent, ModuleSnapshotEvent, AnomalyEvent, ControlEvent, ImportedEvent, AlertEvent,
        IntegrityFindingEvent {

    /** Host wall-clock time, nanoseconds since the Unix epoch. */
    long timeNanos();

    /** The VM's name. */
    String vm();

    /** The action that produced the event (e.g. {@code "syscalls:file"}), or the importer's name. */
    String action();

    ProcessRef process();

    /** The kind's name, as written in JSON and stored: {@code "syscall"}, {@code "exec"}, … */
    String kind();

    /** The kind-specific fields, in a stable order, with JSON-friendly values (strings, numbers, lists, maps). */
    Map<String, Object> fields();
}
