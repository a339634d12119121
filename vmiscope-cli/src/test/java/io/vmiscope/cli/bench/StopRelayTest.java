package io.vmiscope.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmiscope.gdb.GdbAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StopRelayTest {

    @Test
    void continuePackets_areToldApartFromSteps_andFromOtherCommands() {
        assertThat(StopRelay.isContinue("c")).isTrue();
        assertThat(StopRelay.isContinue("cffffffff8134a9e5")).isTrue();
        assertThat(StopRelay.isContinue("C05")).isTrue();
        assertThat(StopRelay.isContinue("vCont;c")).isTrue();
        assertThat(StopRelay.isContinue("vCont;s:p1.1;c")).as("a step of one thread").isFalse();
        assertThat(StopRelay.isContinue("s")).isFalse();
        assertThat(StopRelay.isContinue("vCont?")).isFalse();
        assertThat(StopRelay.isContinue("qC")).isFalse();
    }

    @Test
    void relay_passesBytesUnchanged_andTimesEachHitFromStopReplyToContinue_afterTheSetupStop(@TempDir Path dir)
            throws Exception {
        Path stubPath = dir.resolve("stub.sock");
        try (ServerSocketChannel stub = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stub.bind(UnixDomainSocketAddress.of(stubPath));
            try (StopRelay relay = StopRelay.start(dir.resolve("relay.sock"), new GdbAddress.Unix(stubPath));
                 SocketChannel gdb = SocketChannel.open(UnixDomainSocketAddress.of(relay.address().path()));
                 SocketChannel vm = stub.accept()) {
                for (int stop = 0; stop < 3; stop++) {
                    send(vm, "$T05thread:p01.01;#00");
                    assertThat(receive(gdb)).isEqualTo("$T05thread:p01.01;#00");
                    send(gdb, "$vCont;s:p1.1;c#00"); // stepping over the breakpoint: still stopped
                    assertThat(receive(vm)).isEqualTo("$vCont;s:p1.1;c#00");
                    send(vm, "$T05thread:p01.01;#00");
                    receive(gdb);
                    Thread.sleep(5);
                    send(gdb, "$c#63");
                    assertThat(receive(vm)).isEqualTo("$c#63");
                }
                long deadline = System.nanoTime() + 2_000_000_000L;
                while (relay.stoppedNanos().size() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }

                assertThat(relay.stoppedNanos()).as("the first stop is the set-up").hasSize(2)
                        .allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(5_000_000L));
            }
        }
    }

    private static void send(SocketChannel channel, String text) throws Exception {
        channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static String receive(SocketChannel channel) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(256);
        channel.read(buffer);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1);
    }
}
