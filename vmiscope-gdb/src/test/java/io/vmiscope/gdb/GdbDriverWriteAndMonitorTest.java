package io.vmiscope.gdb;

import io.vmiscope.api.Gpa;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.gdb.FakeStub.Script;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Physical writes ({@code M} packets) and monitor commands ({@code qRcmd}) against scripted stub transcripts. */
class GdbDriverWriteAndMonitorTest {

    private static final GdbOptions FAST = GdbOptions.DEFAULTS.withCommandTimeout(Duration.ofMillis(800));

    @Test
    void write_sendsOneMPacket_withTheBytesInHex() throws Exception {
        Script script = Script.qemuHandshake().expect("M1000,3:0aff0c").reply("OK").detach();
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = GdbDriver.connect(stub.address(), FAST)) {
                driver.write(Gpa.of(0x1000), new byte[] {0x0a, (byte) 0xff, 0x0c});
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void write_longerThanAPacket_isSplitIntoChunksThatFitIt() throws Exception {
        byte[] bytes = new byte[1000];
        Arrays.fill(bytes, (byte) 0x5a);
        HexFormat hex = HexFormat.of();
        // PacketSize=1000 (hex): 2048 bytes of payload per read answer, 992 per write to stay well inside it
        Script script = Script.qemuHandshake()
                .expect("M2000,3e0:" + hex.formatHex(bytes, 0, 992)).reply("OK")
                .expect("M23e0,8:" + hex.formatHex(bytes, 992, 1000)).reply("OK").detach();
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = GdbDriver.connect(stub.address(), FAST)) {
                driver.write(Gpa.of(0x2000), bytes);
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void write_refusedByTheStub_isAGuestAccessErrorNamingTheAddress() throws Exception {
        Script script = Script.qemuHandshake().expect("M3000,1:01").reply("E14").detach();
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = GdbDriver.connect(stub.address(), FAST)) {
                assertThatThrownBy(() -> driver.write(Gpa.of(0x3000), new byte[] {1}))
                        .isInstanceOf(GuestAccessException.class)
                        .hasMessageContaining("refused to write 1 bytes at physical " + Gpa.of(0x3000))
                        .hasMessageContaining("'E14'");
                assertThat(driver.isClosed()).isFalse();
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void monitor_collectsTheOutputPackets_untilOk() throws Exception {
        HexFormat hex = HexFormat.of();
        Script script = Script.qemuHandshake().expect("qRcmd," + hex.formatHex("info registers".getBytes()))
                .reply("O" + hex.formatHex("RAX=0\n".getBytes())).reply("O" + hex.formatHex("IDT=     fffffe0000000000 00000fff\n".getBytes()))
                .reply("OK").detach();
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = GdbDriver.connect(stub.address(), FAST)) {
                assertThat(driver.monitor("info registers")).isEqualTo("RAX=0\nIDT=     fffffe0000000000 00000fff\n");
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void monitor_onAStubWithoutIt_saysSo() throws Exception {
        Script script = Script.qemuHandshake().expect("qRcmd,6869").reply("").detach();
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = GdbDriver.connect(stub.address(), FAST)) {
                assertThatThrownBy(() -> driver.monitor("hi")).isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageContaining("has no monitor (qRcmd)");
            }
            assertThat(stub.problems()).isEmpty();
        }
    }
}
