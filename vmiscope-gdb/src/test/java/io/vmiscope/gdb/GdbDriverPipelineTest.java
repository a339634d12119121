package io.vmiscope.gdb;

import io.vmiscope.api.AccessStats;
import io.vmiscope.api.Gpa;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.PhysicalRead;
import io.vmiscope.api.TransportException;
import io.vmiscope.gdb.FakeStub.Script;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pipelined memory reads against scripted stub transcripts. The stub answers the way QEMU 7.2's
 * system-mode stub does: it reads the whole burst first, then writes {@code +} (or {@code -}) and the
 * answer for each command in turn, without waiting for the client's acknowledgements.
 */
class GdbDriverPipelineTest {

    private static final GdbOptions FAST = GdbOptions.DEFAULTS.withCommandTimeout(Duration.ofMillis(800));
    private static final String FIRST = "0102030405060708";
    private static final String SECOND = "1112131415161718";
    private static final String THIRD = "2122232425262728";
    private static final String STOP_ON_VCPU_2 = "T05thread:p01.02;";

    private static GdbDriver connect(FakeStub stub) {
        return GdbDriver.connect(stub.address(), FAST);
    }

    private static List<PhysicalRead> threeReads() {
        return List.of(PhysicalRead.of(Gpa.of(0x1000), 8), PhysicalRead.of(Gpa.of(0x2000), 8),
                PhysicalRead.of(Gpa.of(0x3000), 8));
    }

    private static Script burstOfThree() {
        return Script.qemuHandshake().expectBurst("m1000,8", "m2000,8", "m3000,8");
    }

    @Test
    void readAll_sendsTheWholeBatchBeforeWaiting_andCountsOneRoundTripAndThreeRequests() throws Exception {
        Script script = burstOfThree()
                .ack().reply(FIRST).ack().reply(SECOND).ack().reply(THIRD)
                .detach();
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = connect(stub)) {
                List<PhysicalRead> reads = threeReads();
                AccessStats before = driver.stats();

                driver.readAll(reads);

                AccessStats cost = driver.stats().minus(before);
                assertThat(reads.get(0).buffer()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
                assertThat(reads.get(1).buffer()).containsExactly(0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18);
                assertThat(reads.get(2).buffer()).containsExactly(0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28);
                assertThat(cost.roundTrips()).isEqualTo(1);
                assertThat(cost.requests()).isEqualTo(3);
                assertThat(cost.bytesRead()).isEqualTo(24);
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void readAll_errorAnswerInTheMiddle_throwsNamingThatRead_afterFillingTheOthers() throws Exception {
        Script script = burstOfThree()
                .ack().reply(FIRST).ack().reply("E14").ack().reply(THIRD)
                .expect("m4000,1").reply("2a")
                .detach();
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = connect(stub)) {
                List<PhysicalRead> reads = threeReads();
                AccessStats before = driver.stats();

                assertThatThrownBy(() -> driver.readAll(reads))
                        .isInstanceOf(GuestAccessException.class)
                        .hasMessage("read 2 of 3: cannot read physical memory at 0x0000000000002000 (8 bytes):"
                                + " GDB stub answered E14");

                AccessStats cost = driver.stats().minus(before);
                assertThat(reads.get(0).buffer()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
                assertThat(reads.get(2).buffer()).containsExactly(0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28);
                assertThat(cost.roundTrips()).isEqualTo(1);
                assertThat(cost.requests()).isEqualTo(3);
                assertThat(cost.bytesRead()).isEqualTo(16);
                assertThat(driver.read(Gpa.of(0x4000), 1)).as("the session goes on").containsExactly(42);
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void readAll_severalFailedReads_throwsTheFirst_withTheOthersSuppressed() throws Exception {
        Script script = Script.qemuHandshake()
                .expectBurst("m1000,8", "m3000,8")
                .ack().reply("E0e").ack().reply(THIRD)
                .detach();
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = connect(stub)) {
                List<PhysicalRead> reads = List.of(PhysicalRead.of(Gpa.of(0x1000), 8),
                        PhysicalRead.of(Gpa.of(Gpa.MAX_EXCLUSIVE - 4), 8), PhysicalRead.of(Gpa.of(0x3000), 8));

                assertThatThrownBy(() -> driver.readAll(reads))
                        .isInstanceOf(GuestAccessException.class)
                        .hasMessageStartingWith("read 1 of 3: cannot read physical memory at 0x0000000000001000")
                        .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                                .satisfies(s -> assertThat(s).hasMessageStartingWith("read 2 of 3: physical range")));

                assertThat(reads.get(2).buffer()).startsWith(0x21, 0x22);
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void readAll_nakForOneCommand_sendsItAgainInASecondWindow() throws Exception {
        Script script = burstOfThree()
                .ack().reply(FIRST).nak().ack().reply(THIRD)
                .expect("m2000,8").reply(SECOND)
                .detach();
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = connect(stub)) {
                List<PhysicalRead> reads = threeReads();
                AccessStats before = driver.stats();

                driver.readAll(reads);

                AccessStats cost = driver.stats().minus(before);
                assertThat(reads.get(1).buffer()).containsExactly(0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18);
                assertThat(reads.get(2).buffer()).startsWith(0x21);
                assertThat(cost.roundTrips()).isEqualTo(2);
                assertThat(cost.requests()).isEqualTo(3);
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void readAll_stopRepliesBetweenAnswers_areSetAside_notTakenForAnswers() throws Exception {
        Script script = burstOfThree()
                .ack().reply(FIRST)
                .reply(STOP_ON_VCPU_2).ack().reply(SECOND)
                .ack().reply(STOP_ON_VCPU_2).reply(THIRD)
                .expect("p3").reply("efbeadde00000000")
                .detach();
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = connect(stub)) {
                List<PhysicalRead> reads = threeReads();
                AccessStats before = driver.stats();

                driver.readAll(reads);

                assertThat(driver.stats().minus(before).requests()).isEqualTo(3);
                assertThat(reads.get(0).buffer()).startsWith(0x01);
                assertThat(reads.get(1).buffer()).startsWith(0x11);
                assertThat(reads.get(2).buffer()).startsWith(0x21);
                assertThat(driver.register(2, "rip")).as("the stop selected vCPU 2: no Hg").isEqualTo(0xdeadbeefL);
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void readAll_partialAnswer_asksForTheRestOfTheChunk() throws Exception {
        Script script = Script.qemuHandshake()
                .expectBurst("m1000,8", "m2000,8")
                .ack().reply("01020304").ack().reply(SECOND)
                .expect("m1004,4").reply("05060708")
                .detach();
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = connect(stub)) {
                List<PhysicalRead> reads = threeReads().subList(0, 2);

                driver.readAll(reads);

                assertThat(reads.get(0).buffer()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void readAll_of100Reads_sendsAtMost64CommandsBeforeWaiting() throws Exception {
        List<PhysicalRead> reads = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            long address = 0x10000L + 0x1000L * i;
            reads.add(PhysicalRead.of(Gpa.of(address), 8));
            commands.add("m" + Long.toHexString(address) + ",8");
        }
        Script script = Script.qemuHandshake().expectBurst(commands.subList(0, 64).toArray(String[]::new));
        for (int i = 0; i < 64; i++) {
            script.ack().reply(String.format("%016x", i));
        }
        script.expectBurst(commands.subList(64, 100).toArray(String[]::new));
        for (int i = 64; i < 100; i++) {
            script.ack().reply(String.format("%016x", i));
        }
        try (FakeStub stub = FakeStub.start(script.detach())) {
            try (GdbDriver driver = connect(stub)) {
                AccessStats before = driver.stats();

                driver.readAll(reads);

                AccessStats cost = driver.stats().minus(before);
                assertThat(cost.roundTrips()).isEqualTo(2);
                assertThat(cost.requests()).isEqualTo(100);
                assertThat(reads.get(99).buffer()[7]).isEqualTo((byte) 99);
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void read_pipelinesItsChunks() throws Exception {
        Script script = Script.qemuHandshake()
                .expectBurst("m1000,800", "m1800,800", "m2000,388")
                .ack().reply("11".repeat(2048)).ack().reply("22".repeat(2048)).ack().reply("33".repeat(904))
                .detach();
        try (FakeStub stub = FakeStub.start(script)) {
            try (GdbDriver driver = connect(stub)) {
                AccessStats before = driver.stats();

                byte[] bytes = driver.read(Gpa.of(0x1000), 5000);

                AccessStats cost = driver.stats().minus(before);
                assertThat(bytes).hasSize(5000).startsWith(0x11).endsWith(0x33);
                assertThat(bytes[2048]).isEqualTo((byte) 0x22);
                assertThat(cost.roundTrips()).isEqualTo(1);
                assertThat(cost.requests()).isEqualTo(3);
                assertThat(cost.bytesRead()).isEqualTo(5000);
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void readAll_emptyAnswer_isATransportException_andCloseResumesOverAFreshConnection() throws Exception {
        // The faulty packet comes last: the driver hangs up on it, so the stub must not write after it.
        Script first = burstOfThree().ack().reply(FIRST).ack().reply(SECOND).ack().reply("").hangUp();
        try (FakeStub stub = FakeStub.start(first, Script.rescue())) {
            GdbDriver driver = connect(stub);
            assertThatThrownBy(() -> driver.readAll(threeReads()))
                    .isInstanceOf(TransportException.class)
                    .hasMessage("GDB stub at 127.0.0.1:" + stub.port()
                            + " answered 'm3000,8' with an empty packet (not supported)");

            driver.close();

            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void readAll_badChecksumAmongSeveralAnswers_isATransportException_notANak() throws Exception {
        Script first = burstOfThree().ack().reply(FIRST).ack().reply(SECOND).ack().replyWithBadChecksum(THIRD)
                .hangUp();
        try (FakeStub stub = FakeStub.start(first, Script.rescue())) {
            GdbDriver driver = connect(stub);
            assertThatThrownBy(() -> driver.readAll(threeReads()))
                    .isInstanceOf(TransportException.class)
                    .hasMessage("GDB stub at 127.0.0.1:" + stub.port()
                            + " sent a packet with a bad checksum among the answers to 3 pipelined commands");

            driver.close();

            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void readAll_answerBeforeTheAcknowledgement_isATransportException() throws Exception {
        Script first = burstOfThree().ack().reply(FIRST).reply(SECOND).hangUp();
        try (FakeStub stub = FakeStub.start(first, Script.rescue())) {
            GdbDriver driver = connect(stub);
            assertThatThrownBy(() -> driver.readAll(threeReads()))
                    .isInstanceOf(TransportException.class)
                    .hasMessage("GDB stub at 127.0.0.1:" + stub.port() + " sent '" + SECOND
                            + "' before acknowledging 'm2000,8'");

            driver.close();

            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void readAll_ofNothing_sendsNothing() throws Exception {
        try (FakeStub stub = FakeStub.start(Script.qemuHandshake().detach())) {
            try (GdbDriver driver = connect(stub)) {
                AccessStats before = driver.stats();

                driver.readAll(List.of());
                driver.readAll(List.of(PhysicalRead.of(Gpa.of(0x1000), 0)));

                assertThat(driver.stats().minus(before)).isEqualTo(AccessStats.NONE);
            }
            assertThat(stub.problems()).isEmpty();
        }
    }
}
