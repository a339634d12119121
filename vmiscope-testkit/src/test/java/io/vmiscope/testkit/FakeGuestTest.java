package io.vmiscope.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmiscope.api.AccessStats;
import io.vmiscope.api.BreakpointControl.Breakpoint;
import io.vmiscope.api.BreakpointControl.Kind;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gpa;
import io.vmiscope.api.PhysicalRead;
import io.vmiscope.api.Gva;
import io.vmiscope.api.StopEvent;
import io.vmiscope.api.TransportException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

import java.util.List;

class FakeGuestTest {

    private final FakeGuest guest = new FakeGuest();

    @Test
    void bytesWritten_acrossAPageBoundary_readBackUnchanged() {
        byte[] data = new byte[6000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        guest.write(Gpa.of(0x1f00), data);

        assertThat(guest.read(Gpa.of(0x1f00), data.length)).isEqualTo(data);
        assertThat(guest.calls()).containsExactly("read 0x1f00+6000");
    }

    @Test
    void littleEndianHelpers_andStrings_layOutBytesAsTheGuestWould() {
        guest.writeU64(Gpa.of(0x100), 0x0102030405060708L);
        guest.writeU32(Gpa.of(0x108), 0xa0b0c0d0);
        guest.writeString(Gpa.of(0x10c), "sh");

        assertThat(guest.peek(Gpa.of(0x100), 15)).containsExactly(
                8, 7, 6, 5, 4, 3, 2, 1, 0xd0 - 256, 0xc0 - 256, 0xb0 - 256, 0xa0 - 256, 's', 'h', 0);
        assertThat(guest.peekU64(Gpa.of(0x100))).isEqualTo(0x0102030405060708L);
    }

    @Test
    void readingAnUnbackedPage_throwsAGuestAccessException_namingTheAddress() {
        guest.write(Gpa.of(0x1000), new byte[4096]);

        assertThatThrownBy(() -> guest.read(Gpa.of(0x1ff8), 16))
                .isInstanceOf(GuestAccessException.class)
                .hasMessageContaining("0x0000000000002000");
    }

    @Test
    void writingBeyondRam_isRefusedAsATestSetupError() {
        FakeGuest small = new FakeGuest(0x10000, 1);

        assertThatThrownBy(() -> small.write(Gpa.of(0xfffc), new byte[8]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void failOnCall_firesOnTheNthCallOnly_andTheCallIsStillRecorded() {
        guest.write(Gpa.of(0), new byte[16]);
        RuntimeException boom = new TransportException("injected");
        guest.failOnCall(2, boom);

        guest.read(Gpa.of(0), 8);
        assertThatThrownBy(guest::resume).isSameAs(boom);
        guest.read(Gpa.of(8), 8);

        assertThat(guest.calls()).containsExactly("read 0x0+8", "resume", "read 0x8+8");
        assertThat(guest.isPaused()).as("the failed resume had no effect").isTrue();
    }

    @Test
    void stats_countOneRoundTripPerRead_andOneRequestPerPreferredChunk() {
        guest.write(Gpa.of(0), new byte[10000]);
        guest.setPreferredChunkBytes(2048);

        guest.read(Gpa.of(0), 8);
        guest.read(Gpa.of(0), 4097);

        assertThat(guest.stats()).isEqualTo(new AccessStats(2, 1 + 3, 8 + 4097, 0));
    }

    @Test
    void readAll_isOneRoundTrip_fillsEveryGoodRead_andRethrowsTheFirstFailure() {
        guest.write(Gpa.of(0), new byte[] {1, 2, 3, 4});
        PhysicalRead good = PhysicalRead.of(Gpa.of(0), 4);
        PhysicalRead bad = PhysicalRead.of(Gpa.of(0x0800_0000), 4);
        PhysicalRead alsoGood = PhysicalRead.of(Gpa.of(2), 2);

        assertThatThrownBy(() -> guest.readAll(List.of(good, bad, alsoGood)))
                .isInstanceOf(GuestAccessException.class).hasMessageContaining("0x0000000008000000");

        assertThat(good.buffer()).containsExactly(1, 2, 3, 4);
        assertThat(alsoGood.buffer()).containsExactly(3, 4);
        assertThat(guest.stats().roundTrips()).isEqualTo(1);
        assertThat(guest.stats().requests()).isEqualTo(3);
    }

    @Test
    void registers_areSetPerVcpu_andUnknownNamesAreRefused() {
        FakeGuest two = new FakeGuest(FakeGuest.DEFAULT_RAM_BYTES, 2);
        two.setRegister(2, "cr3", 0x1234000);

        assertThat(two.vcpus()).containsExactly(1, 2);
        assertThat(two.register(2, "cr3")).isEqualTo(0x1234000);
        assertThat(two.register(1, "cr3")).isZero();
        assertThat(two.registers(2)).containsEntry("cr3", 0x1234000L).containsKey("rip");
        assertThatThrownBy(() -> two.register(1, "xmm99")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scheduledBreakpointHit_isDeliveredByAwaitStop_onlyWhileRunning() {
        guest.scheduleBreakpointHit(1, Gva.of(0xffffffff81000000L));

        assertThat(guest.awaitStop(Duration.ofSeconds(1))).as("paused: nothing to await").isEmpty();
        guest.resume();
        assertThat(guest.awaitStop(Duration.ofSeconds(1)))
                .contains(new StopEvent(StopEvent.Reason.TRAP, 1, FakeGuest.SIGTRAP));
        assertThat(guest.isPaused()).isTrue();
        assertThat(guest.register(1, "rip")).isEqualTo(0xffffffff81000000L);
    }

    @Test
    void breakpointHandles_removeOnce_andAFifthHardwareBreakpointIsRefused() {
        Breakpoint first = guest.insert(Gva.of(0x1000), Kind.SOFTWARE);
        for (int i = 0; i < FakeGuest.HARDWARE_BREAKPOINT_SLOTS; i++) {
            guest.insert(Gva.of(0x2000 + i), Kind.HARDWARE);
        }

        assertThatThrownBy(() -> guest.insert(Gva.of(0x3000), Kind.HARDWARE))
                .isInstanceOf(GuestAccessException.class);
        first.close();
        first.close();
        assertThat(guest.insertedBreakpoints()).hasSize(4).doesNotContain(first);
        assertThat(guest.calls()).containsOnlyOnce("remove 0x1000 SOFTWARE");
    }

    @Test
    void close_removesBreakpointsNewestFirst_resumes_andIsIdempotent() {
        guest.insert(Gva.of(0x1000), Kind.SOFTWARE);
        guest.insert(Gva.of(0x2000), Kind.HARDWARE);
        guest.clearCalls();

        guest.close();
        guest.close();

        assertThat(guest.calls()).containsExactly("close", "remove 0x2000 HARDWARE", "remove 0x1000 SOFTWARE", "resume");
        assertThat(guest.insertedBreakpoints()).isEmpty();
        assertThat(guest.isPaused()).isFalse();
        assertThatThrownBy(() -> guest.read(Gpa.of(0), 1)).isInstanceOf(TransportException.class);
    }
}
