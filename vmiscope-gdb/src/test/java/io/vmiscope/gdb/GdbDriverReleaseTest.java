package io.vmiscope.gdb;

import io.vmiscope.api.TransportException;
import io.vmiscope.gdb.FakeStub.Script;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link GdbDriver#release} against scripted stub transcripts, byte for byte. */
class GdbDriverReleaseTest {

    private static final GdbOptions FAST = GdbOptions.DEFAULTS.withCommandTimeout(Duration.ofMillis(500));

    @Test
    void release_clearsBreakpointsWithQuestionMark_restoresVirtualMode_andDetaches() throws Exception {
        try (FakeStub stub = FakeStub.start(Script.rescue())) {
            GdbDriver.Release release = GdbDriver.release(stub.address(), FAST);

            assertThat(release).isEqualTo(new GdbDriver.Release("127.0.0.1:" + stub.port(), "T05thread:p01.01;",
                    true, true));
            assertThat(release.describe()).contains("breakpoints removed").contains("detached, VM resumed");
            assertThat(stub.problems()).isEmpty();
            assertThat(stub.received()).containsExactly("?", "Qqemu.PhyMemMode:0", "D;1");
        }
    }

    @Test
    void release_whenTheStubRefusesToDetach_resumesWithC_asTheLastPacket() throws Exception {
        Script script = Script.of().expect("?").reply("T05thread:01;").expect("Qqemu.PhyMemMode:0").reply("")
                .expect("D;1").reply("E22").expect("c");
        try (FakeStub stub = FakeStub.start(script)) {
            GdbDriver.Release release = GdbDriver.release(stub.address(), FAST);

            assertThat(release.detached()).isFalse();
            assertThat(release.physicalModeReset()).isFalse();
            assertThat(release.describe()).contains("VM resumed with 'c'");
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void release_takesTheFirstStopReplyAsTheAnswer_andSkipsALaterOne() throws Exception {
        // QEMU may report the stop that the connection itself caused before it answers '?'.
        Script script = Script.of().expect("?").reply("T02thread:p01.01;").reply("T05thread:p01.01;")
                .expect("Qqemu.PhyMemMode:0").reply("OK").expect("D;1").reply("OK");
        try (FakeStub stub = FakeStub.start(script)) {
            GdbDriver.Release release = GdbDriver.release(stub.address(), FAST);

            assertThat(release.stopReply()).isEqualTo("T02thread:p01.01;");
            assertThat(release.detached()).isTrue();
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void release_whileAnotherClientHoldsTheStub_failsAfterTheCommandTimeout() throws Exception {
        try (FakeStub stub = FakeStub.start(Script.of().expect("?").pause(1500))) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> GdbDriver.release(stub.address(), FAST))
                    .isInstanceOf(TransportException.class)
                    .hasMessage("GDB stub at 127.0.0.1:" + stub.port() + " did not answer '?' in time");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1400));
        }
    }

    @Test
    void release_ofSomethingThatIsNoStub_sendsNothingAfterQuestionMark() throws Exception {
        try (FakeStub stub = FakeStub.start(Script.of().expect("?").reply("OK"))) {
            assertThatThrownBy(() -> GdbDriver.release(stub.address(), FAST))
                    .isInstanceOf(TransportException.class)
                    .hasMessage("GDB stub at 127.0.0.1:" + stub.port() + " answered '?' with 'OK'");
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void release_withNothingListening_namesThePeer() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }

        assertThatThrownBy(() -> GdbDriver.release(new GdbAddress.Tcp("127.0.0.1", port), FAST))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("no GDB stub listening at 127.0.0.1:" + port);
    }
}
