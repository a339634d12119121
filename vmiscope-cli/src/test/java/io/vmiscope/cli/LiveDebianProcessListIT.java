package io.vmiscope.cli;

import io.vmiscope.guest.GuestDistro;

/** The live process list on the Debian guest (systemd, nginx, sshd, cron) booted with KASLR on. */
class LiveDebianProcessListIT extends LiveGuestProcessListTest {
    @Override
    boolean kaslr() {
        return true;
    }

    @Override
    GuestDistro distro() {
        return GuestDistro.DEBIAN;
    }
}
