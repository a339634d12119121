package io.vmiscope.overhead;

import io.vmiscope.monitor.Action;
import io.vmiscope.monitor.Hook;
import io.vmiscope.monitor.Periodic;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the overhead model knows of an action: the kernel functions where it stops the VM, and its
 * periodic work. Two actions with a site in common share that site's stops.
 *
 * @param id       the action's id, as {@code vmiscope monitor --action} writes it (e.g. {@code syscalls:file})
 * @param sites    the hooked kernel functions (symbols); empty for purely periodic actions
 * @param period   how often the periodic work runs; {@code null} when the action has none
 * @param pausesVm whether the periodic work keeps the VM paused while it runs
 */
public record ActionProfile(String id, Set<String> sites, Duration period, boolean pausesVm) {

    public ActionProfile {
        Objects.requireNonNull(id, "id");
        sites = Set.copyOf(new TreeSet<>(sites));
        if (period != null && (period.isZero() || period.isNegative())) {
            throw new IllegalArgumentException("period must be positive, was " + period);
        }
    }

    /** The profile of a built action: its hooks' symbols and its periodic work. */
    public static ActionProfile of(Action action) {
        Set<String> sites = new TreeSet<>();
        for (Hook hook : action.hooks()) {
            sites.add(hook.symbol());
        }
        Optional<Periodic> periodic = action.periodic();
        return new ActionProfile(action.id(), sites, periodic.map(Periodic::period).orElse(null),
                periodic.map(Periodic::pauseVm).orElse(false));
    }

    /** Whether the action does periodic work. */
    public boolean periodic() {
        return period != null;
    }

    /**
     * What periodic actions' runs cost alike: the action's name, with {@code :unpaused} when its walk
     * lets the VM run — {@code pslist:1s} and {@code pslist:5s} are both {@code pslist}: a walk costs the
     * same, only how often it runs differs. Integrity checks keep the names of the checks they run
     * ({@code checks:hidden-processes:5s} is {@code checks:hidden-processes}; {@code checks:5s}, every check, is
     * {@code checks}): different checks cost differently.
     */
    public String periodicKind() {
        return periodicKind(id);
    }

    /** {@link #periodicKind()} of the action with this id. */
    public static String periodicKind(String id) {
        if (id.startsWith("checks:")) {
            return id.substring(0, id.lastIndexOf(':'));
        }
        String name = id.contains(":") ? id.substring(0, id.indexOf(':')) : id;
        return id.endsWith(":unpaused") ? name + ":unpaused" : name;
    }
}
