package io.vmiscope.cli.guard;

import io.vmiscope.guest.GuestDistro;

/** The guard's promises on the Debian guest: after {@code kill -9} of a tracer, nginx answers again. */
class DebianGuardIT extends GuardIT {
    @Override
    GuestDistro distro() {
        return GuestDistro.DEBIAN;
    }
}
