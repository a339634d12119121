package io.vmiscope.x86;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gpa;
import io.vmiscope.api.Gva;
import io.vmiscope.api.Hex;
import io.vmiscope.testkit.FakeGuest;
import io.vmiscope.testkit.PageTableBuilder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestMemoryReadTest {

    private static final long VA = 0xffff888000201000L;

    private final FakeGuest guest = new FakeGuest();
    private final PageTableBuilder tables = new PageTableBuilder(guest, 4, 0x100000);
    /** One entry per cache miss keeps the logs of data reads exact. */
    private final GuestMemory memory = new GuestMemory(guest, tables.cr3(), PagingMode.FOUR_LEVEL,
            GuestMemory.Options.DEFAULTS.withEntryBlockBytes(8));

    @Test
    void readCrossingIntoAnUnmappedPage_namesTheFirstUnmappedAddress_andReadsNoData() {
        tables.map4k(VA, 0x5000);
        guest.write(Gpa.of(0x5000), new byte[4096]);

        assertThatThrownBy(() -> memory.read(kernel(VA + 0xff8), 16))
                .isInstanceOf(PageFaultException.class)
                .hasMessageContaining("kernel " + Hex.address(VA + 0x1000))
                .hasMessageContaining("at PT");
        assertThat(dataReads()).isEmpty();
    }

    @Test
    void readAll_translatesEveryRead_thenSendsOneBatch_ofOneRoundTrip() {
        tables.map4k(VA, 0x5000);
        tables.map4k(VA + 0x1000, 0x9000);
        guest.write(Gpa.of(0x5000), new byte[] {11, 12});
        guest.write(Gpa.of(0x9000), new byte[] {21, 22});
        memory.translate(kernel(VA));
        memory.translate(kernel(VA + 0x1000));
        long before = guest.stats().roundTrips();
        ContextRead first = ContextRead.of(kernel(VA), 2);
        ContextRead second = ContextRead.of(kernel(VA + 0x1000), 2);
        ContextRead physical = ContextRead.of(AccessContext.physical(Gpa.of(0x9001)), 1);

        memory.readAll(List.of(first, second, physical));

        assertThat(first.buffer()).containsExactly(11, 12);
        assertThat(second.buffer()).containsExactly(21, 22);
        assertThat(physical.buffer()).containsExactly(22);
        assertThat(guest.stats().roundTrips() - before).isEqualTo(1);
    }

    @Test
    void readAll_withOneUnmappedRead_fillsTheOthers_andNamesTheBadOne() {
        tables.map4k(VA, 0x5000);
        guest.write(Gpa.of(0x5000), new byte[] {7});
        ContextRead good = ContextRead.of(kernel(VA), 1);
        ContextRead bad = ContextRead.of(kernel(VA + 0x20_0000), 1);

        assertThatThrownBy(() -> memory.readAll(List.of(bad, good)))
                .isInstanceOf(PageFaultException.class)
                .hasMessageContaining(Hex.address(VA + 0x20_0000));
        assertThat(good.buffer()).containsExactly(7);
    }

    @Test
    void readAcrossPhysicallyContiguousPages_isOnePhysicalRead() {
        byte[] data = pattern(0x3000);
        guest.write(Gpa.of(0x5000), data);
        for (int page = 0; page < 3; page++) {
            tables.map4k(VA + page * 0x1000L, 0x5000 + page * 0x1000L);
        }

        byte[] read = memory.read(kernel(VA + 0x800), 0x2000);

        assertThat(read).isEqualTo(Arrays.copyOfRange(data, 0x800, 0x2800));
        assertThat(dataReads()).containsExactly("read 0x5800+8192");
    }

    @Test
    void readAcrossPhysicallyScatteredPages_readsEachPieceInOrder() {
        guest.write(Gpa.of(0x5000), pattern(0x1000));
        guest.write(Gpa.of(0x9000), pattern(0x1000));
        tables.map4k(VA, 0x5000);
        tables.map4k(VA + 0x1000, 0x9000);

        byte[] read = memory.read(kernel(VA + 0xff0), 32);

        assertThat(Arrays.copyOfRange(read, 0, 16)).isEqualTo(Arrays.copyOfRange(pattern(0x1000), 0xff0, 0x1000));
        assertThat(Arrays.copyOfRange(read, 16, 32)).isEqualTo(Arrays.copyOfRange(pattern(0x1000), 0, 16));
        assertThat(dataReads()).containsExactly("read 0x5ff0+16", "read 0x9000+16");
    }

    @Test
    void readInsideOneLargePage_crossing4KiBBoundaries_isOnePhysicalRead() {
        tables.map2m(0xffff888000200000L, 0x400000);
        guest.write(Gpa.of(0x400000), pattern(0x4000));

        byte[] read = memory.read(kernel(0xffff888000200100L), 0x3000);

        assertThat(read).isEqualTo(Arrays.copyOfRange(pattern(0x4000), 0x100, 0x3100));
        assertThat(dataReads()).containsExactly("read 0x400100+12288");
    }

    @Test
    void readU64AndReadU32_decodeLittleEndian_evenAcrossAPageBoundary() {
        tables.map4k(VA, 0x5000);
        tables.map4k(VA + 0x1000, 0x9000);
        guest.writeU64(Gpa.of(0x5010), 0x1122334455667788L);
        guest.write(Gpa.of(0x5ffc), new byte[] {1, 2, 3, 4});
        guest.write(Gpa.of(0x9000), new byte[] {5, 6, 7, 8});

        assertThat(memory.readU64(kernel(VA + 0x10))).isEqualTo(0x1122334455667788L);
        assertThat(memory.readU32(kernel(VA + 0x10))).isEqualTo(0x55667788);
        assertThat(memory.readU64(kernel(VA + 0xffc))).isEqualTo(0x0807060504030201L);
    }

    @Test
    void physicalContext_readsDirectly_withoutAnyWalk() {
        guest.writeU64(Gpa.of(0x5000), 42);
        guest.clearCalls();

        assertThat(memory.readU64(AccessContext.physical(Gpa.of(0x5000)))).isEqualTo(42);
        assertThat(guest.calls()).containsExactly("read 0x5000+8");
        assertThat(memory.translate(AccessContext.physical(Gpa.of(0x5000))))
                .isEqualTo(new Translation(Gpa.of(0x5000), 4096, List.of()));
    }

    @Test
    void processContext_walksItsOwnCr3_whileKernelContextUsesTheKernelCr3() {
        PageTableBuilder process = new PageTableBuilder(guest, 4, 0x200000);
        tables.map4k(VA, 0x5000);
        process.map4k(VA, 0x9000);
        guest.writeU64(Gpa.of(0x5000), 1);
        guest.writeU64(Gpa.of(0x9000), 2);

        assertThat(memory.readU64(kernel(VA))).isEqualTo(1);
        assertThat(memory.readU64(AccessContext.process(Gva.of(VA), process.cr3()))).isEqualTo(2);
        memory.setKernelCr3(process.cr3());
        assertThat(memory.readU64(kernel(VA))).isEqualTo(2);
        assertThat(memory.kernelCr3()).isEqualTo(process.cr3());
    }

    @Test
    void mappedPageWithoutBackingRam_failsAsAGuestAccessException_namingTheContext() {
        tables.map4k(VA, 0x7000_0000L);

        assertThatThrownBy(() -> memory.read(kernel(VA + 0x20), 8))
                .isInstanceOf(GuestAccessException.class)
                .isNotInstanceOf(PageFaultException.class)
                .hasMessageContaining("kernel " + Hex.address(VA + 0x20))
                .hasMessageContaining("0x0000000070000020");
    }

    @Test
    void readWrappingAroundTheEndOfTheAddressSpace_isRefused() {
        assertThatThrownBy(() -> memory.read(kernel(0xfffffffffffffff8L), 16))
                .isInstanceOf(GuestAccessException.class)
                .hasMessageContaining("wraps around");
    }

    @Test
    void physicalReadBeyondTheConfiguredMaximum_isRefusedWithoutAskingTheHypervisor() {
        GuestMemory limited = new GuestMemory(guest, tables.cr3(), PagingMode.FOUR_LEVEL,
                GuestMemory.Options.DEFAULTS.withMaxPhysicalAddress(0x10000));
        guest.clearCalls();

        assertThatThrownBy(() -> limited.read(AccessContext.physical(Gpa.of(0xfff8)), 16))
                .isInstanceOf(GuestAccessException.class)
                .hasMessageContaining("maximum physical address");
        assertThat(guest.calls()).isEmpty();
    }

    @Test
    void emptyRead_touchesNothing() {
        guest.clearCalls();

        memory.read(kernel(0x0000800000000000L), new byte[4], 2, 0);

        assertThat(guest.calls()).isEmpty();
    }

    private List<String> dataReads() {
        return guest.calls().stream().filter(call -> !call.endsWith("+8")).toList();
    }

    private static AccessContext kernel(long va) {
        return AccessContext.kernel(Gva.of(va));
    }

    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + (i >> 8));
        }
        return bytes;
    }
}
