package io.vmiscope.gdb;

import io.vmiscope.api.Gpa;
import io.vmiscope.api.PhysicalRead;
import io.vmiscope.api.TransportException;
import io.vmiscope.gdb.FakeStub.Script;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The driver over a gdbstub's Unix socket ({@code -gdb unix:PATH,server=on}), against scripted transcripts. */
class GdbDriverUnixSocketTest {

    private static final GdbOptions FAST = GdbOptions.DEFAULTS.withCommandTimeout(Duration.ofMillis(800));

    @TempDir
    Path dir;

    @Test
    void connect_overAUnixSocket_handshakesPipelinesReadsAndDetaches() throws Exception {
        Script script = Script.qemuHandshake().expectBurst("m1000,8", "m2000,8")
                .ack().reply("0102030405060708").ack().reply("1112131415161718").detach();
        try (FakeStub stub = FakeStub.startUnix(dir.resolve("gdb.sock"), script)) {
            try (GdbDriver driver = GdbDriver.connect(stub.address(), FAST)) {
                List<PhysicalRead> reads = List.of(PhysicalRead.of(Gpa.of(0x1000), 8), PhysicalRead.of(Gpa.of(0x2000), 8));
                driver.readAll(reads);

                assertThat(driver.vcpus()).containsExactly(1, 2);
                assertThat(reads.get(1).buffer()).containsExactly(0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18);
                assertThat(driver).hasToString("GdbDriver[unix:" + dir.resolve("gdb.sock") + "]");
            }
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void release_overAUnixSocket_namesThePeerAsUnixPath() throws Exception {
        try (FakeStub stub = FakeStub.startUnix(dir.resolve("gdb.sock"), Script.rescue())) {
            GdbDriver.Release release = GdbDriver.release(stub.address(), FAST);

            assertThat(release.peer()).isEqualTo("unix:" + dir.resolve("gdb.sock"));
            assertThat(release.detached()).isTrue();
            assertThat(stub.problems()).isEmpty();
        }
    }

    @Test
    void connect_toAMissingSocket_isAOneLineTransportException() {
        Path missing = dir.resolve("none.sock");

        assertThatThrownBy(() -> GdbDriver.connect(new GdbAddress.Unix(missing), FAST))
                .isInstanceOf(TransportException.class)
                .hasMessageStartingWith("cannot connect to GDB stub at unix:" + missing + ": ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aStubThatStopsAnswering_overAUnixSocket_timesOutAtTheCommandTimeout() throws Exception {
        Script silent = Script.of().expect("?");
        try (FakeStub stub = FakeStub.startUnix(dir.resolve("gdb.sock"), silent, Script.rescue())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> GdbDriver.connect(stub.address(), FAST))
                    .isInstanceOf(TransportException.class)
                    .hasMessage("GDB stub at unix:" + dir.resolve("gdb.sock") + " did not answer '?' in time");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(700), Duration.ofSeconds(5));
        }
    }
}
