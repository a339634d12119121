package io.vmiscope.x86;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.Gpa;
import io.vmiscope.api.Gva;
import io.vmiscope.testkit.FakeGuest;
import io.vmiscope.testkit.PageTableBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestMemoryCacheTest {

    private static final long VA = 0xffff888000201000L;

    private final FakeGuest guest = new FakeGuest();
    private final PageTableBuilder tables = new PageTableBuilder(guest, 4, 0x100000);

    @Test
    void secondTranslationOfTheSamePage_costsNoPhysicalReads() {
        tables.map4k(VA, 0x5000);
        GuestMemory memory = memory(GuestMemory.Options.DEFAULTS);
        Translation first = memory.translate(kernel(VA + 0x10));
        long before = roundTrips();

        Translation second = memory.translate(kernel(VA + 0x20));

        assertThat(roundTrips()).isEqualTo(before);
        assertThat(second.gpa()).isEqualTo(Gpa.of(0x5020));
        assertThat(second.trace()).isEqualTo(first.trace());
    }

    @Test
    void anotherAddressInTheSameLargePage_costsNoPhysicalReads() {
        tables.map2m(0xffff888000200000L, 0x400000);
        GuestMemory memory = memory(GuestMemory.Options.DEFAULTS);
        memory.translate(kernel(0xffff888000200000L));
        long before = roundTrips();

        assertThat(memory.translate(kernel(0xffff8880003ffff0L)).gpa()).isEqualTo(Gpa.of(0x5ffff0));
        assertThat(roundTrips()).isEqualTo(before);
    }

    @Test
    void neighbouringPage_reusesTheCachedUpperEntries_andReadsOnlyItsPte() {
        tables.map4k(VA, 0x5000);
        tables.map4k(VA + 0x1000, 0x6000);
        GuestMemory memory = memory(GuestMemory.Options.DEFAULTS.withEntryBlockBytes(8));
        memory.translate(kernel(VA));
        long before = roundTrips();

        memory.translate(kernel(VA + 0x1000));

        assertThat(roundTrips() - before).isEqualTo(1);
    }

    @Test
    void invalidate_makesCachedTranslationsTentative_soTablesChangedWhileRunningAreSeen() {
        tables.map4k(VA, 0x5000);
        GuestMemory memory = memory(GuestMemory.Options.DEFAULTS);
        memory.translate(kernel(VA));
        tables.map4k(VA, 0x9000);

        assertThat(memory.translate(kernel(VA)).gpa()).as("stale until invalidated").isEqualTo(Gpa.of(0x5000));
        memory.invalidate();
        long before = roundTrips();
        assertThat(memory.translate(kernel(VA)).gpa()).isEqualTo(Gpa.of(0x9000));
        assertThat(roundTrips() - before).as("one confirming re-read that fails, then a walk").isEqualTo(1 + 4);
    }

    @Test
    void afterTheVmRan_aPageReadAtTheLastStop_isReadInOneRoundTrip_confirmedInTheSameBatch() {
        tables.map4k(VA, 0x5000);
        guest.write(Gpa.of(0x5010), new byte[] {7, 8});
        GuestMemory memory = memory(GuestMemory.Options.DEFAULTS);
        memory.read(kernel(VA), 1);
        memory.invalidate();
        long before = roundTrips();
        long requests = guest.stats().requests();

        assertThat(memory.read(kernel(VA + 0x10), 2)).containsExactly(7, 8);

        assertThat(roundTrips() - before).isEqualTo(1);
        assertThat(guest.stats().requests() - requests).as("the data and one re-read per level").isEqualTo(1 + 4);
    }

    @Test
    void afterTheVmRan_aChangedLeaf_discardsTheSpeculativeRead_andReadsTheNewPage() {
        tables.map4k(VA, 0x5000);
        guest.write(Gpa.of(0x5000), new byte[] {1});
        guest.write(Gpa.of(0x9000), new byte[] {2});
        GuestMemory memory = memory(GuestMemory.Options.DEFAULTS);
        memory.read(kernel(VA), 1);
        tables.map4k(VA, 0x9000);
        memory.invalidate();

        assertThat(memory.read(kernel(VA), 1)).containsExactly(2);
        memory.invalidate();
        long before = roundTrips();
        assertThat(memory.read(kernel(VA), 1)).containsExactly(2);
        assertThat(roundTrips() - before).as("the new translation is cached in turn").isEqualTo(1);
    }

    @Test
    void afterTheVmRan_aChangedUpperLevel_isSeen_evenWhenTheOldLeafTableStillHoldsTheOldEntry() {
        tables.map4k(VA, 0x5000);
        guest.write(Gpa.of(0x5000), new byte[] {1});
        guest.write(Gpa.of(0x9000), new byte[] {2});
        GuestMemory memory = memory(GuestMemory.Options.DEFAULTS);
        memory.read(kernel(VA), 1);
        long oldTable = tables.tableAddress(VA, 1);
        long newTable = tables.allocatePage();
        guest.writeU64(Gpa.of(newTable + ((VA >>> 12) & 511) * 8), 0x9000 | PageTableBuilder.PRESENT);
        tables.setRawEntry(VA, 2, newTable | PageTableBuilder.PRESENT | PageTableBuilder.WRITABLE);
        memory.invalidate();

        assertThat(memory.read(kernel(VA), 1)).containsExactly(2);
        assertThat(tables.tableAddress(VA, 1)).isNotEqualTo(oldTable);
    }

    @Test
    void stablePages_keepTheirTranslationAcrossRuns_withoutAnyReRead() {
        tables.map4k(VA, 0x5000);
        guest.write(Gpa.of(0x5000), new byte[] {5});
        GuestMemory memory = memory(GuestMemory.Options.DEFAULTS);
        memory.keepAcrossRuns(page -> page == VA);
        memory.read(kernel(VA), 1);
        memory.invalidate();
        long requests = guest.stats().requests();

        assertThat(memory.read(kernel(VA), 1)).containsExactly(5);

        assertThat(guest.stats().requests() - requests).as("the data read alone").isEqualTo(1);
    }

    @Test
    void readEach_namesEachFailedRead_andFillsTheOthers() {
        tables.map4k(VA, 0x5000);
        guest.write(Gpa.of(0x5000), new byte[] {9});
        GuestMemory memory = memory(GuestMemory.Options.DEFAULTS);
        ContextRead good = ContextRead.of(kernel(VA), 1);
        ContextRead unmapped = ContextRead.of(kernel(VA + 0x1000), 1);

        java.util.Map<Integer, io.vmiscope.api.GuestAccessException> failures = memory.readEach(List.of(unmapped, good));

        assertThat(failures).containsOnlyKeys(0);
        assertThat(good.buffer()).containsExactly(9);
    }

    @Test
    void cr3ValuesDifferingOnlyInPcid_shareCachedTranslations() {
        tables.map4k(VA, 0x5000);
        GuestMemory memory = memory(GuestMemory.Options.DEFAULTS);
        memory.translate(AccessContext.process(Gva.of(VA), tables.cr3() | 1));
        long before = roundTrips();

        memory.translate(AccessContext.process(Gva.of(VA), tables.cr3() | 2));

        assertThat(roundTrips()).isEqualTo(before);
    }

    @Test
    void boundedCaches_evictTheLeastRecentlyUsed() {
        tables.map4k(VA, 0x5000);
        tables.map4k(VA + 0x1000, 0x6000);
        GuestMemory memory = memory(new GuestMemory.Options(Gpa.MAX_EXCLUSIVE, 4, 1, 8));
        memory.translate(kernel(VA));
        memory.translate(kernel(VA + 0x1000));
        long before = roundTrips();

        memory.translate(kernel(VA));

        assertThat(roundTrips() - before).as("only the evicted PTE of the first page is read again").isEqualTo(1);
    }

    @Test
    void entryBlocks_letNeighbouringPagesTranslateWithoutFurtherReads() {
        for (int i = 0; i < 8; i++) {
            tables.map4k(VA + i * 0x1000L, 0x10_0000 + i * 0x1000L);
        }
        GuestMemory memory = memory(GuestMemory.Options.DEFAULTS);
        memory.translate(kernel(VA));
        long before = roundTrips();

        for (int i = 1; i < 8; i++) {
            assertThat(memory.translate(kernel(VA + i * 0x1000L)).gpa().value()).isEqualTo(0x10_0000 + i * 0x1000L);
        }

        assertThat(roundTrips()).as("the PTEs of the next pages came with the first block").isEqualTo(before);
    }

    private GuestMemory memory(GuestMemory.Options options) {
        return new GuestMemory(guest, tables.cr3(), PagingMode.FOUR_LEVEL, options);
    }

    private long roundTrips() {
        return guest.stats().roundTrips();
    }

    private static AccessContext kernel(long va) {
        return AccessContext.kernel(Gva.of(va));
    }
}
