package io.vmiscope.overhead.budget;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.overhead.ActionProfile;

import java.util.Set;

/**
 * Builds actions from specs on one VM and says what they hook: how the planner learns the exact sites
 * of a variant (the syscall entries this kernel has, their symbols, the 32-bit entries they add)
 * without knowing the kernel itself. {@link BuiltActions} builds them on a guest; tests use a table.
 */
public interface ActionCatalog {

    /** @throws IllegalArgumentException when the spec cannot be built on this VM, saying why */
    ActionProfile profile(ActionSpec spec);

    /**
     * The syscalls a syscall trace traces, by name (groups resolved); empty for other actions.
     *
     * @throws IllegalArgumentException when the spec cannot be built on this VM, saying why
     */
    Set<String> syscalls(ActionSpec spec);
}
