package io.vmiscope.overhead.budget;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.monitor.Action;
import io.vmiscope.monitor.SyscallTraceAction;
import io.vmiscope.overhead.ActionProfile;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Actions built from specs once and kept: the planner asks for many variants' profiles, and the
 * controller starts the same few again and again (duty cycles). Thread-safe.
 */
public final class BuiltActions implements ActionCatalog {

    private final Function<ActionSpec, Action> builder;
    private final Map<ActionSpec, Action> built = new ConcurrentHashMap<>();

    /** @param builder builds an action from a spec (e.g. {@code monitor.Actions.build}), throwing IllegalArgumentException when it cannot */
    public BuiltActions(Function<ActionSpec, Action> builder) {
        this.builder = builder;
    }

    /** The action {@code spec} names, built on first use. */
    public Action action(ActionSpec spec) {
        return built.computeIfAbsent(spec, builder);
    }

    @Override
    public ActionProfile profile(ActionSpec spec) {
        return ActionProfile.of(action(spec));
    }

    @Override
    public Set<String> syscalls(ActionSpec spec) {
        return action(spec) instanceof SyscallTraceAction trace ? trace.syscalls() : Set.of();
    }
}
