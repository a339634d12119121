package io.vmiscope.x86;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gpa;
import io.vmiscope.api.Gva;
import io.vmiscope.testkit.FakeGuest;
import io.vmiscope.testkit.PageTableBuilder;
import io.vmiscope.x86.PageFaultException.Reason;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Walks through tables built by {@link PageTableBuilder}. The pool starts at 0x100000, so the root
 * table is there and every new table takes the next 4 KiB page: the expected traces below are
 * worked out by hand from the SDM's index bits, not from the code under test.
 */
class TranslationTest {

    private static final long POOL = 0x100000;
    private static final long KERNEL_4K = 0xffff888000201000L;
    private static final long KERNEL_5L = 0xff11000000201000L;
    private static final long GIB = 1L << 30;

    private final FakeGuest guest = new FakeGuest(2 * GIB, 1);

    private record Case(String name, int levels, Consumer<PageTableBuilder> setup, LongFunction<AccessContext> context,
            long gpa, long pageSizeBytes, List<TraceEntry> trace) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> mappings() {
        return Stream.of(
                new Case("4-level, 4 KiB page", 4, t -> t.map4k(KERNEL_4K, 0x5000),
                        cr3 -> AccessContext.kernel(Gva.of(KERNEL_4K + 0x123)), 0x5123, 4096, List.of(
                                entry("PML4", 0x100888, 0x101007), entry("PDPT", 0x101000, 0x102007),
                                entry("PD", 0x102008, 0x103007), entry("PT", 0x103008, 0x5003))),
                new Case("4-level, 2 MiB page", 4, t -> t.map2m(0xffff888000200000L, 0x400000),
                        cr3 -> AccessContext.kernel(Gva.of(0xffff888000212345L)), 0x412345, 2L << 20, List.of(
                                entry("PML4", 0x100888, 0x101007), entry("PDPT", 0x101000, 0x102007),
                                entry("PD", 0x102008, 0x400083))),
                new Case("4-level, 1 GiB page", 4, t -> t.map1g(0xffff888040000000L, GIB),
                        cr3 -> AccessContext.kernel(Gva.of(0xffff888040012345L)), GIB + 0x12345, GIB, List.of(
                                entry("PML4", 0x100888, 0x101007), entry("PDPT", 0x101008, GIB | 0x83))),
                new Case("4-level, user page, CR3 with PCID and no-flush bits", 4, t -> t.map4k(0x7f1234567000L, 0x9000),
                        cr3 -> AccessContext.process(Gva.of(0x7f1234567abcL), cr3 | 1L << 63 | 0x5), 0x9abc, 4096,
                        List.of(entry("PML4", 0x1007f0, 0x101007), entry("PDPT", 0x101240, 0x102007),
                                entry("PD", 0x102d10, 0x103007), entry("PT", 0x103b38, 0x9003))),
                new Case("5-level, 4 KiB page", 5, t -> t.map4k(KERNEL_5L, 0x5000),
                        cr3 -> AccessContext.kernel(Gva.of(KERNEL_5L + 0x123)), 0x5123, 4096, List.of(
                                entry("PML5", 0x100888, 0x101007), entry("PML4", 0x101000, 0x102007),
                                entry("PDPT", 0x102000, 0x103007), entry("PD", 0x103008, 0x104007),
                                entry("PT", 0x104008, 0x5003))),
                new Case("5-level, 2 MiB page", 5, t -> t.map2m(0xff11000000200000L, 0x600000),
                        cr3 -> AccessContext.kernel(Gva.of(0xff11000000212345L)), 0x612345, 2L << 20, List.of(
                                entry("PML5", 0x100888, 0x101007), entry("PML4", 0x101000, 0x102007),
                                entry("PDPT", 0x102000, 0x103007), entry("PD", 0x103008, 0x600083))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mappings")
    void translation_visitsExactlyTheEntriesTheSdmPrescribes(Case c) {
        PageTableBuilder tables = new PageTableBuilder(guest, c.levels(), POOL);
        c.setup().accept(tables);
        GuestMemory memory = memory(tables);

        Translation translation = memory.translate(c.context().apply(tables.cr3()));

        assertThat(translation).isEqualTo(new Translation(Gpa.of(c.gpa()), c.pageSizeBytes(), c.trace()));
    }

    static Stream<Arguments> notPresentLevels() {
        return Stream.of(
                Arguments.of(4, 4, "PML4"), Arguments.of(4, 3, "PDPT"), Arguments.of(4, 2, "PD"), Arguments.of(4, 1, "PT"),
                Arguments.of(5, 5, "PML5"), Arguments.of(5, 4, "PML4"), Arguments.of(5, 3, "PDPT"),
                Arguments.of(5, 2, "PD"), Arguments.of(5, 1, "PT"));
    }

    @ParameterizedTest(name = "{0}-level paging, {2} entry not present")
    @MethodSource("notPresentLevels")
    void entryWithoutPresentBit_stopsTheWalkAtItsLevel_withThePartialTrace(int levels, int level, String name) {
        PageTableBuilder tables = new PageTableBuilder(guest, levels, POOL);
        long va = levels == 5 ? KERNEL_5L : KERNEL_4K;
        tables.map4k(va, 0x5000);
        long entryAddress = tables.entryAddress(va, level);
        tables.setRawEntry(va, level, 0x7000_0000_0000_5002L);
        AccessContext context = AccessContext.kernel(Gva.of(va + 8));

        PageFaultException fault = catchThrowableOfType(PageFaultException.class,
                () -> memory(tables).translate(context));

        assertThat(fault.reason()).isEqualTo(Reason.NOT_PRESENT);
        assertThat(fault.level()).contains(name);
        assertThat(fault.context()).isEqualTo(context);
        assertThat(fault.trace()).hasSize(levels - level + 1);
        assertThat(fault.trace().get(fault.trace().size() - 1))
                .isEqualTo(new TraceEntry(name, Gpa.of(entryAddress), 0x7000_0000_0000_5002L));
        assertThat(fault).hasMessageContaining(context.toString()).hasMessageContaining("at " + name)
                .hasMessageContaining("not present");
    }

    @Test
    void nonCanonicalAddress_isRefusedBeforeAnyTableIsRead() {
        PageTableBuilder tables = new PageTableBuilder(guest, 4, POOL);
        GuestMemory memory = memory(tables);
        guest.clearCalls();
        AccessContext context = AccessContext.kernel(Gva.of(0x0000800000000000L));

        PageFaultException fault = catchThrowableOfType(PageFaultException.class, () -> memory.translate(context));

        assertThat(fault.reason()).isEqualTo(Reason.NON_CANONICAL);
        assertThat(fault.level()).isEmpty();
        assertThat(fault.trace()).isEmpty();
        assertThat(fault).hasMessageContaining("0x0000800000000000").hasMessageContaining("non-canonical");
        assertThat(guest.calls()).isEmpty();
    }

    @Test
    void addressCanonicalOnlyFor57Bits_isRefusedUnderFourLevelPaging_butWalkedUnderFive() {
        PageTableBuilder four = new PageTableBuilder(guest, 4, POOL);
        PageTableBuilder five = new PageTableBuilder(guest, 5, 0x200000);
        five.map4k(KERNEL_5L, 0x5000);
        AccessContext context = AccessContext.kernel(Gva.of(KERNEL_5L));

        assertThat(catchThrowableOfType(PageFaultException.class, () -> memory(four).translate(context)).reason())
                .isEqualTo(Reason.NON_CANONICAL);
        assertThat(memory(five).translate(context).gpa()).isEqualTo(Gpa.of(0x5000));
    }

    @Test
    void pageSizeBitInAPml4Entry_isAReservedBitFault() {
        PageTableBuilder tables = new PageTableBuilder(guest, 4, POOL);
        tables.setRawEntry(KERNEL_4K, 4, 0x200000 | 0x83);

        PageFaultException fault = catchThrowableOfType(PageFaultException.class,
                () -> memory(tables).translate(AccessContext.kernel(Gva.of(KERNEL_4K))));

        assertThat(fault.reason()).isEqualTo(Reason.RESERVED_BIT);
        assertThat(fault.level()).contains("PML4");
        assertThat(fault.trace()).hasSize(1);
    }

    @Test
    void twoMegabytePageWithAddressBitsBelow2MiB_isAReservedBitFault() {
        PageTableBuilder tables = new PageTableBuilder(guest, 4, POOL);
        tables.setRawEntry(KERNEL_4K, 2, 0x400000 | 1L << 13 | 0x83);

        PageFaultException fault = catchThrowableOfType(PageFaultException.class,
                () -> memory(tables).translate(AccessContext.kernel(Gva.of(KERNEL_4K))));

        assertThat(fault.reason()).isEqualTo(Reason.RESERVED_BIT);
        assertThat(fault.level()).contains("PD");
    }

    @Test
    void oneGigabytePageWithAddressBitsBelow1GiB_isAReservedBitFault_butThePatBitIsNot() {
        PageTableBuilder tables = new PageTableBuilder(guest, 4, POOL);
        tables.setRawEntry(KERNEL_4K, 3, GIB | 1L << 20 | 0x83);
        tables.setRawEntry(0xffff888040000000L, 3, GIB | 1L << 12 | 0x83);
        GuestMemory memory = memory(tables);

        assertThat(catchThrowableOfType(PageFaultException.class,
                () -> memory.translate(AccessContext.kernel(Gva.of(KERNEL_4K)))).reason())
                .isEqualTo(Reason.RESERVED_BIT);
        assertThat(memory.translate(AccessContext.kernel(Gva.of(0xffff888040000010L))).gpa())
                .isEqualTo(Gpa.of(GIB + 0x10));
    }

    @Test
    void entryPointingBeyondTheConfiguredMaximum_isRefused_atTheLevelThatWouldUseIt() {
        PageTableBuilder tables = new PageTableBuilder(guest, 4, POOL);
        tables.setRawEntry(KERNEL_4K, 3, 0x0000_0008_0000_0000L | 0x7);
        GuestMemory memory = new GuestMemory(guest, tables.cr3(), PagingMode.FOUR_LEVEL,
                GuestMemory.Options.DEFAULTS.withMaxPhysicalAddress(1L << 32));

        PageFaultException fault = catchThrowableOfType(PageFaultException.class,
                () -> memory.translate(AccessContext.kernel(Gva.of(KERNEL_4K))));

        assertThat(fault.reason()).isEqualTo(Reason.PHYSICAL_ADDRESS_OUT_OF_RANGE);
        assertThat(fault.level()).contains("PD");
        assertThat(fault).hasMessageContaining("0x0000000800000000");
    }

    @Test
    void cr3AddressBits52AndUp_areIgnored() {
        PageTableBuilder tables = new PageTableBuilder(guest, 4, POOL);
        tables.map4k(KERNEL_4K, 0x5000);
        GuestMemory memory = new GuestMemory(guest, tables.cr3() | 0x7ff0_0000_0000_0000L | 0xfff, PagingMode.FOUR_LEVEL);

        assertThat(memory.translate(AccessContext.kernel(Gva.of(KERNEL_4K))).gpa()).isEqualTo(Gpa.of(0x5000));
    }

    @Test
    void tableInUnbackedPhysicalMemory_isATableUnreadableFault_withTheCause() {
        PageTableBuilder tables = new PageTableBuilder(guest, 4, POOL);
        tables.setRawEntry(KERNEL_4K, 3, 0x7000_0000L | 0x7);

        PageFaultException fault = catchThrowableOfType(PageFaultException.class,
                () -> memory(tables).translate(AccessContext.kernel(Gva.of(KERNEL_4K))));

        assertThat(fault.reason()).isEqualTo(Reason.TABLE_UNREADABLE);
        assertThat(fault.level()).contains("PD");
        assertThat(fault.trace()).extracting(TraceEntry::level).containsExactly("PML4", "PDPT");
        assertThat(fault).hasMessageContaining("0x0000000070000008").hasCauseInstanceOf(
                GuestAccessException.class);
    }

    @Test
    void pdEntryPointingBackAtThePml4_endsAfterFourReads_withThePml4ReadAsAPageTable() {
        // Index bits of this address: PML4 0x111, PDPT 0, PD 1, PT 0x111. After the PD entry sends the
        // walk back to the PML4 table, the CPU reads PML4[0x111] as a PTE: the "page" is the PDPT table.
        long va = 0xffff888000311000L;
        PageTableBuilder tables = new PageTableBuilder(guest, 4, POOL);
        tables.map4k(va, 0x5000);
        tables.linkCycle(va, 2, 4);
        guest.clearCalls();

        Translation translation = memory(tables).translate(AccessContext.kernel(Gva.of(va + 0x40)));

        assertThat(translation.trace()).containsExactly(entry("PML4", 0x100888, 0x101007),
                entry("PDPT", 0x101000, 0x102007), entry("PD", 0x102008, POOL | 0x7),
                entry("PT", 0x100888, 0x101007));
        assertThat(translation.gpa()).isEqualTo(Gpa.of(0x101040));
        assertThat(guest.calls()).as("the repeated PML4 entry comes from the cache").hasSize(3);
    }

    @Test
    void selfReferencingPml4Entry_mapsThePml4ItselfAtTheRecursiveAddress() {
        long recursive = 0xfffff6fb7dbed000L; // every index is 0x1ed
        PageTableBuilder tables = new PageTableBuilder(guest, 4, POOL);
        tables.linkCycle(recursive, 4, 4);

        Translation translation = memory(tables).translate(AccessContext.kernel(Gva.of(recursive + 0x888)));

        assertThat(translation.trace()).hasSize(4).allSatisfy(e -> assertThat(e.entryAddress()).isEqualTo(
                Gpa.of(POOL + 0x1ed * 8)));
        assertThat(translation.gpa()).isEqualTo(Gpa.of(POOL + 0x888));
    }

    private GuestMemory memory(PageTableBuilder tables) {
        return new GuestMemory(guest, tables.cr3(), tables.levels() == 5 ? PagingMode.FIVE_LEVEL : PagingMode.FOUR_LEVEL);
    }

    private static TraceEntry entry(String level, long address, long value) {
        return new TraceEntry(level, Gpa.of(address), value);
    }
}
