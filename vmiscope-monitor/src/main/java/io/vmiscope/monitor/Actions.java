package io.vmiscope.monitor;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.linux.LinuxGuest;

/** Builds the action an {@link ActionSpec} names on one guest: the one place a spec becomes hooks and walks. */
public final class Actions {

    private Actions() {
    }

    /**
     * The action {@code spec} names; its {@link Action#id()} is the spec's text (with {@code +ret} for a
     * syscall trace with return values).
     *
     * @param returnValues whether syscall traces also report return values (more stops); ignored by the others
     * @throws IllegalArgumentException when this guest cannot run it, saying why (a syscall it lacks)
     * @throws io.vmiscope.linux.symbols.ProfileException when a function or structure it needs is missing
     */
    public static Action build(ActionSpec spec, LinuxGuest linux, boolean returnValues) {
        if (spec instanceof ActionSpec.Syscalls s) {
            return new SyscallTraceAction(linux, s, returnValues);
        } else if (spec instanceof ActionSpec.ProcessEvents p) {
            return new ProcessEventsAction(linux, p.processes());
        } else if (spec instanceof ActionSpec.FileEvents f) {
            return new FileEventsAction(linux, f.processes(), f.watchedPaths());
        } else if (spec instanceof ActionSpec.NetworkEvents n) {
            return new NetworkEventsAction(linux, n.processes());
        } else if (spec instanceof ActionSpec.ProcessList l) {
            return new SnapshotAction(SnapshotAction.Kind.PROCESSES, l.period(), l.paused());
        } else if (spec instanceof ActionSpec.Checks c) {
            return new IntegrityCheckAction(linux, c);
        }
        return new SnapshotAction(SnapshotAction.Kind.MODULES, ((ActionSpec.ModuleList) spec).period());
    }
}
