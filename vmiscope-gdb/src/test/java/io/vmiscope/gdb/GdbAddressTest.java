package io.vmiscope.gdb;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link GdbAddress}: parsing {@code unix:PATH} and {@code HOST:PORT}, and which addresses only this machine reaches. */
class GdbAddressTest {

    @Test
    void parse_readsAUnixSocketPath_andPrintsItBack() {
        GdbAddress address = GdbAddress.parse("unix:/run/vm/gdb.sock");

        assertThat(address).isEqualTo(new GdbAddress.Unix(Path.of("/run/vm/gdb.sock")));
        assertThat(address).hasToString("unix:/run/vm/gdb.sock");
        assertThat(address.isLocal()).isTrue();
    }

    @Test
    void parse_readsHostAndPort_takingTheLastColonForThePort() {
        assertThat(GdbAddress.parse("127.0.0.1:1234")).isEqualTo(new GdbAddress.Tcp("127.0.0.1", 1234));
        assertThat(GdbAddress.parse("[::1]:1234")).hasToString("[::1]:1234");
    }

    @Test
    void tcpOnLoopback_isLocal_andOnAnotherAddress_isNot() {
        assertThat(new GdbAddress.Tcp("127.0.0.1", 1234).isLocal()).isTrue();
        assertThat(new GdbAddress.Tcp("localhost", 1234).isLocal()).isTrue();
        assertThat(new GdbAddress.Tcp("0.0.0.0", 1234).isLocal()).isFalse();
        assertThat(new GdbAddress.Tcp("192.0.2.7", 1234).isLocal()).isFalse();
    }

    @Test
    void parse_refusesWhatIsNeither_inOneLineNamingTheText() {
        assertThatThrownBy(() -> GdbAddress.parse("1234")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("wanted unix:PATH or HOST:PORT, not '1234'");
        assertThatThrownBy(() -> GdbAddress.parse("host:port")).hasMessage("wanted unix:PATH or HOST:PORT, not 'host:port'");
        assertThatThrownBy(() -> GdbAddress.parse("host:70000")).hasMessage("wanted unix:PATH or HOST:PORT, not 'host:70000'");
        assertThatThrownBy(() -> GdbAddress.parse("unix:")).hasMessage("not a gdbstub address: 'unix:' names no socket");
    }
}
