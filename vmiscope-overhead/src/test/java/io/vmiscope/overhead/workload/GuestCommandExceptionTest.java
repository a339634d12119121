package io.vmiscope.overhead.workload;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GuestCommandExceptionTest {

    @Test
    void message_isOneLine_withTheCommandsFirstLine_andItsOutput() {
        GuestCommandException e = new GuestCommandException("read -r pg </tmp/x.pid\necho more", 3,
                "workload cpu is not running\nsecond line\n");

        assertThat(e).hasMessage("guest command 'read -r pg </tmp/x.pid' failed with exit code 3: "
                + "workload cpu is not running / second line");
        assertThat(e.exitCode()).isEqualTo(3);
    }

    @Test
    void message_ofAKilledCommand_saysItWasKilled() {
        assertThat(new GuestCommandException("sleep 99", GuestCommandException.KILLED, ""))
                .hasMessage("guest command 'sleep 99' was killed (exit code 137: its time limit passed or it got SIGKILL)");
    }
}
