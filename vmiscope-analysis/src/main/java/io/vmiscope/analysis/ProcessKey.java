package io.vmiscope.analysis;

import java.util.Objects;

/**
 * One process of one VM: a pid is reused over time, so a process is its pid together with the start of its
 * lifetime (see {@link ProcessNode#startNanos()} for what "start" means when the creation was not seen).
 *
 * @param vm         the VM's name
 * @param pid        the thread-group id
 * @param startNanos the start of the lifetime, nanoseconds since the Unix epoch (host clock)
 */
public record ProcessKey(String vm, int pid, long startNanos) {

    public ProcessKey {
        Objects.requireNonNull(vm, "vm");
    }

    /** {@code pid@startNanos}, as the CLI prints it. */
    @Override
    public String toString() {
        return pid + "@" + startNanos;
    }
}
