package io.vmiscope.session.live;

import java.util.List;
import java.util.Optional;

/** The VMs this server monitors live (none for {@code vmiscope serve} over a stored file). */
@FunctionalInterface
public interface LiveVms {

    /** No live VM. */
    LiveVms NONE = List::of;

    List<LiveVm> all();

    default Optional<LiveVm> find(String name) {
        return all().stream().filter(vm -> vm.name().equals(name)).findFirst();
    }
}
