package io.vmiscope.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmiscope.api.Gpa;
import org.junit.jupiter.api.Test;

class PageTableBuilderTest {

    private static final long VA = 0xffff888000201000L;

    private final FakeGuest guest = new FakeGuest();
    private final PageTableBuilder tables = new PageTableBuilder(guest, 4, 0x100000);

    @Test
    void map4k_writesOneEntryPerLevel_withTheIndicesOfTheAddress() {
        tables.map4k(VA, 0x5000);

        long pml4e = guest.peekU64(Gpa.of(tables.cr3() + 273 * 8));
        long pdpte = guest.peekU64(Gpa.of((pml4e & ~0xfffL) + 0 * 8));
        long pde = guest.peekU64(Gpa.of((pdpte & ~0xfffL) + 1 * 8));
        long pte = guest.peekU64(Gpa.of((pde & ~0xfffL) + 1 * 8));
        assertThat(pml4e & 0x7).isEqualTo(0x7);
        assertThat(pte).isEqualTo(0x5000 | PageTableBuilder.PRESENT | PageTableBuilder.WRITABLE);
        assertThat(tables.physicalAddressOf(VA + 0x10)).hasValue(0x5010);
    }

    @Test
    void map2m_setsThePageSizeBitInThePde() {
        tables.map2m(0xffff888000200000L, 0x400000);

        long pde = guest.peekU64(Gpa.of(tables.entryAddress(0xffff888000200000L, 2)));
        assertThat(pde).isEqualTo(0x400000 | 0x83);
        assertThat(tables.physicalAddressOf(0xffff888000212345L)).hasValue(0x412345);
    }

    @Test
    void linkCycle_pointsALowerEntryBackAtAnUpperTable() {
        tables.map4k(VA, 0x5000);
        tables.linkCycle(VA, 2, 4);

        long pde = guest.peekU64(Gpa.of(tables.entryAddress(VA, 2)));
        assertThat(pde & ~0xfffL).isEqualTo(tables.cr3());
    }

    @Test
    void misalignedOrNonCanonicalMappings_areRefused() {
        assertThatThrownBy(() -> tables.map2m(0xffff888000201000L, 0x400000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tables.map4k(0x0000800000000000L, 0x5000))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
