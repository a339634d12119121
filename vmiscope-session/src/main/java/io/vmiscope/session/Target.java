package io.vmiscope.session;

import io.vmiscope.api.GuestConnection;
import io.vmiscope.linux.LinuxGuest;

/**
 * The VM a session watches: its name, the connection to its stub and the kernel found in it. The caller
 * attached it and closes the connection after the session.
 */
public record Target(String name, GuestConnection connection, LinuxGuest linux) {

    /** How many vCPUs the VM has. */
    public int vcpus() {
        return connection.vcpus().size();
    }
}
