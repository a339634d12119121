package io.vmiscope.gdb;

import io.vmiscope.api.BreakpointControl;
import io.vmiscope.api.Gpa;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gva;
import io.vmiscope.api.StopEvent;
import io.vmiscope.api.TransportException;
import io.vmiscope.gdb.FakeStub.Script;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The driver against scripted stub transcripts, byte for byte. */
class GdbDriverTranscriptTest {

    private static final GdbOptions FAST = GdbOptions.DEFAULTS.withCommandTimeout(Duration.ofMillis(800));

    private static GdbDriver connect(FakeStub stub) {
        return GdbDriver.connect(stub.address(), FAST);
    }

    @Test
    void connect_performsTheHandshake_andDetachesOnClose() throws Exception {
        try (FakeStub stub = FakeStub.start(Script.qemuHandshake().detach())) {
            try (GdbDriver driver = connect(stub)) {
                assertThat(driver.vcpus()).containsExactly(1, 2);
                assertThat(driver.isPaused()).isTrue();
                assertThat(driver.preferredChunkBytes()).isEqualTo(2048);
                assertThat(driver.targetDescription().register("cr3"))
                        .contains(new TargetDescription.Register("cr3", 5, 64));
                assertThat(driver.stats().roundTrips()).isEqualTo(10);
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void connect_withResumeAfterConnect_continuesTheVm_andCloseInterruptsBeforeDetaching() throws Exception {
        Script script = Script.qemuHandshake().expect("c")
                .expectInterrupt().reply("T02thread:p01.02;")
                .detach();
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = GdbDriver.connect(stub.address(), FAST.withResumeAfterConnect(true))) {
                assertThat(driver.isPaused()).isFalse();
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void stopReplyBeforeAnAnswer_isTakenAsAStop_notAsTheAnswer() throws Exception {
        Script script = Script.of().expect("?").reply("T05thread:p01.01;")
                .expect(FakeStub.QSUPPORTED)
                .reply("T05thread:p01.02;")
                .reply("PacketSize=1000;qXfer:features:read+;vContSupported+;multiprocess+")
                .afterQSupported()
                .expect("m1000,4").reply("T05thread:p01.02;").reply("01020304")
                .expect("p3").reply("efbeadde00000000")
                .detach();
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = connect(stub)) {
                assertThat(driver.read(Gpa.of(0x1000), 4)).containsExactly(1, 2, 3, 4);
                assertThat(driver.register(2, "rip")).as("the stop selected vCPU 2: no Hg").isEqualTo(0xdeadbeefL);
                assertThat(driver.pause().vcpu()).isEqualTo(2);
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void asynchronousStopOnConnect_beforeTheAcknowledgement_isNotMistakenForLaterAnswers() throws Exception {
        Script script = Script.of().raw("$T02thread:p01.01;#03").expect("?").reply("T05thread:p01.01;")
                .expect(FakeStub.QSUPPORTED)
                .reply("PacketSize=1000;qXfer:features:read+;vContSupported+;multiprocess+")
                .afterQSupported().detach();
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = connect(stub)) {
                assertThat(driver.isPaused()).isTrue();
                assertThat(driver.pause().reason()).isEqualTo(StopEvent.Reason.TRAP);
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void read_isChunkedByPacketSize_andDecodesRunLengthAnswers() throws Exception {
        Script script = Script.of().expect("?").reply("S05")
                .expect(FakeStub.QSUPPORTED).reply("PacketSize=24;qXfer:features:read+")
                .expect("vCont?").reply("")
                .expect("qXfer:features:read:target.xml:0,1f").reply("l" + FakeStub.TARGET_XML)
                .expect("qXfer:features:read:core.xml:0,1f").reply("l" + FakeStub.CORE_XML)
                .expect("qfThreadInfo").reply("m1,2").expect("qsThreadInfo").reply("l")
                .expect("Qqemu.PhyMemMode:1").reply("OK")
                .expect("mffff0,12").reply("0* 11223344556677889900aabbccddeeff")
                .expect("m100002,2").reply("abcd")
                .expect("Qqemu.PhyMemMode:0").reply("OK").expect("D").reply("OK");
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = connect(stub)) {
                assertThat(driver.preferredChunkBytes()).isEqualTo(18);
                byte[] bytes = driver.read(Gpa.of(0xffff0), 20);
                assertThat(bytes).hasSize(20).startsWith(0, 0, 0x11, 0x22).endsWith(0xff, 0xab, 0xcd);
                assertThat(driver.stats().bytesRead()).isEqualTo(20);
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void read_errorAnswer_throwsGuestAccessExceptionNamingTheAddress_andTheSessionGoesOn() throws Exception {
        Script script = Script.qemuHandshake()
                .expect("m7ffff000,800").reply("E14")
                .expect("m7ffff800,800").reply("00".repeat(2048))
                .expect("m1000,1").reply("2a")
                .detach();
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = connect(stub)) {
                assertThatThrownBy(() -> driver.read(Gpa.of(0x7ffff000L), 4096))
                        .isInstanceOf(GuestAccessException.class)
                        .hasMessage("cannot read physical memory at 0x000000007ffff000 (2048 bytes): GDB stub answered E14");
                assertThat(driver.read(Gpa.of(0x1000), 1)).containsExactly(42);
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void registers_areReadByXmlNumber_littleEndian_withHgOnlyWhenTheVcpuChanges() throws Exception {
        Script script = Script.qemuHandshake()
                .expect("Hgp1.2").reply("OK")
                .expect("p3").reply("0100000000000000")
                .expect("p5").reply("0030000000000000")
                .expect("Hgp1.1").reply("OK")
                .expect("g").reply("1100000000000000" + "2200000000000000" + "00".repeat(10)
                        + "3300000000000000" + "xxxxxxxxxxxxxxxx")
                .detach();
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = connect(stub)) {
                assertThat(driver.register(2, "rip")).isEqualTo(1);
                assertThat(driver.register(2, "cr3")).isEqualTo(0x3000);
                assertThat(driver.registers(1)).containsExactly(
                        java.util.Map.entry("rax", 0x11L), java.util.Map.entry("rbx", 0x22L),
                        java.util.Map.entry("rip", 0x33L));
                assertThatThrownBy(() -> driver.register(1, "st0")).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("80 bits");
                assertThatThrownBy(() -> driver.register(1, "xmm0")).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("unknown register 'xmm0'");
                assertThatThrownBy(() -> driver.register(7, "rip")).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("unknown vCPU 7");
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void register_fallsBackToG_whenTheStubAnswersPWithAnEmptyPacket() throws Exception {
        Script script = Script.qemuHandshake()
                .expect("Hgp1.1").reply("OK")
                .expect("p4").reply("")
                .expect("g").reply("00".repeat(34) + "1100000000000000")
                .expect("g").reply("00".repeat(34) + "1100000000000000")
                .detach();
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = connect(stub)) {
                assertThat(driver.register(1, "cr0")).isEqualTo(0x11);
                assertThat(driver.register(1, "cr0")).as("no second p").isEqualTo(0x11);
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void badChecksum_isAnsweredWithNak_andTheRetransmissionIsAccepted() throws Exception {
        Script script = Script.qemuHandshake()
                .expect("m1000,2").replyWithBadChecksum("beef").expectNak().reply("beef")
                .detach();
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = connect(stub)) {
                assertThat(driver.read(Gpa.of(0x1000), 2)).containsExactly(0xbe, 0xef);
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void nakFromTheStub_makesTheClientRetransmit() throws Exception {
        Script script = Script.qemuHandshake()
                .expectAndReject("m1000,2").expect("m1000,2").reply("beef")
                .detach();
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = connect(stub)) {
                assertThat(driver.read(Gpa.of(0x1000), 2)).containsExactly(0xbe, 0xef);
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void repeatedBadChecksums_breakTheConnection_andCloseResumesOverAFreshOne() throws Exception {
        Script first = Script.qemuHandshake().expect("m1000,2");
        for (int i = 0; i < 3; i++) {
            first.replyWithBadChecksum("beef").expectNak();
        }
        first.replyWithBadChecksum("beef");
        try (FakeStub stub = FakeStub.start(first.hangUp(), Script.rescue())) {
            GdbDriver driver = connect(stub);
            assertThatThrownBy(() -> driver.read(Gpa.of(0x1000), 2))
                    .isInstanceOf(TransportException.class)
                    .hasMessage("GDB stub at 127.0.0.1:" + stub.port() + " sent 4 packets in a row with bad checksums");
            assertThatThrownBy(() -> driver.register(1, "rip")).isInstanceOf(TransportException.class);

            driver.close();

            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void garbage_isATransportExceptionWithAOneLineMessage() throws Exception {
        Script first = Script.qemuHandshake().expect("m1000,2").raw("hello\n").hangUp();
        try (FakeStub stub = FakeStub.start(first, Script.rescue())) {
            try (GdbDriver driver = connect(stub)) {
                assertThatThrownBy(() -> driver.read(Gpa.of(0x1000), 2))
                        .isInstanceOf(TransportException.class)
                        .hasMessage("GDB stub at 127.0.0.1:" + stub.port() + " sent garbage: unexpected byte 'h' outside a packet");
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void disconnectInTheMiddleOfAPacket_isATransportException() throws Exception {
        Script first = Script.qemuHandshake().expect("m1000,2").raw("$be").hangUp();
        try (FakeStub stub = FakeStub.start(first)) {
            try (GdbDriver driver = connect(stub)) {
                assertThatThrownBy(() -> driver.read(Gpa.of(0x1000), 2))
                        .isInstanceOf(TransportException.class)
                        .hasMessage("GDB stub at 127.0.0.1:" + stub.port()
                                + " closed the connection in the middle of a packet");
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void silentStub_timesOutWithATransportException() throws Exception {
        Script first = Script.qemuHandshake().expect("m1000,2").pause(1500).hangUp();
        try (FakeStub stub = FakeStub.start(first)) {
            try (GdbDriver driver = connect(stub)) {
                assertThatThrownBy(() -> driver.read(Gpa.of(0x1000), 2))
                        .isInstanceOf(TransportException.class)
                        .hasMessage("GDB stub at 127.0.0.1:" + stub.port() + " did not answer 'm1000,2' in time");
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void noAckMode_isUsedWhenOffered() throws Exception {
        Script script = Script.of().expect("?").reply("T05thread:01;")
                .expect(FakeStub.QSUPPORTED).reply("PacketSize=1000;QStartNoAckMode+;qXfer:features:read+")
                .expect("QStartNoAckMode").reply("OK").noAcks()
                .expect("vCont?").reply("")
                .expect("qXfer:features:read:target.xml:0,ffb").reply("l" + FakeStub.TARGET_XML)
                .expect("qXfer:features:read:core.xml:0,ffb").reply("l" + FakeStub.CORE_XML)
                .expect("qfThreadInfo").reply("m01,02").expect("qsThreadInfo").reply("l")
                .expect("Qqemu.PhyMemMode:1").reply("OK")
                .expect("Hg2").reply("OK").expect("p3").reply("0200000000000000")
                .expect("Hc1").reply("OK").expect("s").reply("T05thread:01;")
                .expect("Qqemu.PhyMemMode:0").reply("OK").expect("D").reply("OK");
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = connect(stub)) {
                assertThat(driver.register(2, "rip")).isEqualTo(2);
                assertThat(driver.step(1)).isEqualTo(new StopEvent(StopEvent.Reason.TRAP, 1, 5));
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void breakpoints_areHandles_andCloseRemovesTheRemainingOnesInReverseOrder() throws Exception {
        Script script = Script.qemuHandshake()
                .expect("Z0,ffffffff81000000,1").reply("OK")
                .expect("Z1,ffffffff81000010,1").reply("OK")
                .expect("Z0,ffffffff81000020,1").reply("OK")
                .expect("Z1,ffffffff81000030,1").reply("E22")
                .expect("z1,ffffffff81000010,1").reply("OK")
                .expect("z0,ffffffff81000020,1").reply("OK")
                .expect("z0,ffffffff81000000,1").reply("OK")
                .detach();
        try (FakeStub stub = FakeStub.start(script)) {
            BreakpointControl.Breakpoint first;
            try (GdbDriver driver = connect(stub)) {
                first = driver.insert(Gva.of(0xffffffff81000000L), BreakpointControl.Kind.SOFTWARE);
                BreakpointControl.Breakpoint second = driver.insert(Gva.of(0xffffffff81000010L),
                        BreakpointControl.Kind.HARDWARE);
                driver.insert(Gva.of(0xffffffff81000020L), BreakpointControl.Kind.SOFTWARE);
                assertThatThrownBy(() -> driver.insert(Gva.of(0xffffffff81000030L), BreakpointControl.Kind.HARDWARE))
                        .isInstanceOf(GuestAccessException.class)
                        .hasMessage("cannot insert hardware breakpoint at 0xffffffff81000030: GDB stub answered 'E22'");
                second.close();
                second.close();
            }
            first.close();
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void resume_awaitStop_andBreakpointHit_followTheStateMachine() throws Exception {
        Script script = Script.qemuHandshake()
                .expect("c")
                .pause(300).raw("$T05thread:p01.02;sw");
        script.raw("break:;#" + String.format("%02x", checksum("T05thread:p01.02;swbreak:;")))
                .expect("p3").reply("1000000000000000")
                .expect("vCont;s:p1.2").reply("T05thread:p01.02;")
                .detach();
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = connect(stub)) {
                driver.resume();
                assertThatThrownBy(() -> driver.read(Gpa.of(0), 1)).isInstanceOf(IllegalStateException.class)
                        .hasMessage("cannot read memory while the VM is running: pause() it first");
                assertThat(driver.awaitStop(Duration.ofMillis(50))).isEmpty();

                StopEvent hit = driver.awaitStop(Duration.ofSeconds(3)).orElseThrow();

                assertThat(hit).isEqualTo(new StopEvent(StopEvent.Reason.TRAP, 2, 5));
                assertThat(driver.register(2, "rip")).isEqualTo(0x10);
                assertThat(driver.step(2).vcpu()).isEqualTo(2);
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void resumeAt_carriesThePcInTheContinuePacket_selectingTheVcpuOnlyWhenItDidNotReportTheStop() throws Exception {
        String stop = "T05thread:p01.02;";
        String stopFrame = "$" + stop + "#" + String.format("%02x", checksum(stop));
        Script script = Script.qemuHandshake()
                .expect("Hcp1.2").reply("OK")
                .expect("cffffffff81000005")
                .pause(100).raw(stopFrame)
                .expect("cffffffff81000105")
                .pause(100).raw(stopFrame)
                .detach();
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = connect(stub)) {
                driver.resumeAt(2, 0xffffffff81000005L);
                assertThat(driver.isPaused()).isFalse();
                assertThat(driver.awaitStop(Duration.ofSeconds(3))).isPresent();

                driver.resumeAt(2, 0xffffffff81000105L);

                assertThat(driver.awaitStop(Duration.ofSeconds(3))).isPresent();
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void resumeAt_returnsWithoutWaitingForTheAcknowledgement_andSendsTheContinueAgainOnANak() throws Exception {
        String stop = "T05thread:p01.01;";
        Script script = Script.qemuHandshake()
                .expect("Hcp1.1").reply("OK")
                .expectAndReject("c401000")
                .expect("c401000")
                .pause(100).raw("$" + stop + "#" + String.format("%02x", checksum(stop)))
                .detach();
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = connect(stub)) {
                driver.resumeAt(1, 0x401000);

                assertThat(driver.awaitStop(Duration.ofSeconds(3))).isPresent();
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void exitReply_endsTheGuest_andCloseSendsNothingMore() throws Exception {
        Script script = Script.qemuHandshake().expect("c").reply("W00");
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = connect(stub)) {
                driver.resume();
                assertThat(driver.awaitStop(Duration.ofSeconds(2)))
                        .contains(new StopEvent(StopEvent.Reason.EXITED, -1, 0));
                assertThatThrownBy(() -> driver.registers(1)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("exited");
                assertThatThrownBy(driver::resume).isInstanceOf(IllegalStateException.class);
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void detachRefused_isFollowedByContinue() throws Exception {
        Script script = Script.qemuHandshake()
                .expect("Qqemu.PhyMemMode:0").reply("OK").expect("D;1").reply("E22").expect("c");
        try (FakeStub stub = FakeStub.start(script)) {
            connect(stub).close();
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void connect_toAClosedPort_isAOneLineTransportException() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertThatThrownBy(() -> GdbDriver.connect(new GdbAddress.Tcp("127.0.0.1", port), FAST))
                .isInstanceOf(TransportException.class)
                .hasMessage("no GDB stub listening at 127.0.0.1:" + port + " (connection refused)");
    }

    @Test
    void connect_failingInTheHandshake_closesAndResumesTheVmOverAFreshConnection() throws Exception {
        Script first = Script.of().expect("?").reply("S05")
                .expect(FakeStub.QSUPPORTED).reply("PacketSize=1000;qXfer:features:read+;multiprocess+")
                .expect("vCont?").reply("")
                .expect("qXfer:features:read:target.xml:0,ffb").reply("l" + FakeStub.TARGET_XML)
                .expect("qXfer:features:read:core.xml:0,ffb").reply("l" + FakeStub.CORE_XML)
                .expect("qfThreadInfo").reply("l")
                .hangUp();
        try (FakeStub stub = FakeStub.start(first, Script.rescue())) {
            assertThatThrownBy(() -> connect(stub)).isInstanceOf(TransportException.class)
                    .hasMessage("GDB stub at 127.0.0.1:" + stub.port() + " lists no threads (vCPUs)");
            assertThat(stub.problems()).isEmpty();
        }
    }

    private static int checksum(String payload) {
        int sum = 0;
        for (char c : payload.toCharArray()) {
            sum += c;
        }
        return sum & 0xff;
    }
}
