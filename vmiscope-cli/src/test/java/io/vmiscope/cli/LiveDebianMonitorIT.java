package io.vmiscope.cli;

import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.ProcessFilter;
import io.vmiscope.guest.GuestDistro;
import io.vmiscope.monitor.ProcessEventsAction;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Introspection actions on the Debian guest: real bash, sudo and coreutils under systemd, where the demo
 * guest has one busybox binary. The tests both guests share are {@link LiveMonitorTest}'s; one booted
 * guest for the class.
 */
class LiveDebianMonitorIT extends LiveMonitorTest {

    @Override
    GuestDistro distro() {
        return GuestDistro.DEBIAN;
    }

    @Override
    List<String> shell() {
        return List.of("/bin/bash");
    }

    @Test
    void sudoByTheUnprivilegedUser_showsTheUidChange_from1000ToRootInTheExecEvents() {
        runInBackground(new ProcessEventsAction(linux, ProcessFilter.ALL));
        String script = "id -u; : vmiscope-sudo-marker";

        String output = vm.console().run("runuser -u user -- sudo -n /bin/sh -c '" + script + "'").orThrow().output();

        assertThat(output.strip()).isEqualTo("0");
        ExecEvent sudo = awaitEvent(ExecEvent.class, e -> e.path().endsWith("/sudo") && e.argv().contains(script));
        ExecEvent command = awaitEvent(ExecEvent.class, e -> e.path().equals("/bin/sh") && e.argv().contains(script));
        assertThat(sudo.process().uid()).as("the user's sudo").isEqualTo(1000);
        assertThat(command.process().uid()).as("the command sudo started").isZero();
        assertThat(command.timeNanos()).isGreaterThan(sudo.timeNanos());
        assertThat(EventText.line(command)).contains(" uid 0 ");
        assertThat(EventText.line(sudo)).contains(" uid 1000 ");
    }
}
