package io.vmiscope.overhead.budget;

import io.vmiscope.overhead.ActionProfile;

import java.util.Set;

/**
 * Builds actions from specs on one VM and says what they hook: how the planner learns the exact sites
 * of a variant (the syscall entries this kernel has, their symbols, the 32-bit entries they add)
 * without knowing the kernel itself. The CLI builds with its own spec parser; tests use a table.
 */
public interface ActionCatalog {

    /**
     * @param spec what {@code vmiscope monitor --action} takes
     * @throws IllegalArgumentException when the spec cannot be built on this VM, saying why
     */
    ActionProfile profile(String spec);

    /**
     * The syscalls a {@code syscalls:…} spec traces, by name (groups resolved); empty for other actions.
     *
     * @throws IllegalArgumentException when the spec cannot be built on this VM, saying why
     */
    Set<String> syscalls(String spec);
}
