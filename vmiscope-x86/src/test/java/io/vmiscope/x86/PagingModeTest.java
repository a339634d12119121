package io.vmiscope.x86;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vmiscope.api.Gva;
import org.junit.jupiter.api.Test;

class PagingModeTest {

    @Test
    void fromCr4_choosesFiveLevelPaging_exactlyWhenLa57IsSet() {
        assertThat(PagingMode.fromCr4(0x3506f0)).isEqualTo(PagingMode.FOUR_LEVEL);
        assertThat(PagingMode.fromCr4(0x3506f0 | 1L << 12)).isEqualTo(PagingMode.FIVE_LEVEL);
    }

    @Test
    void fourLevelTable_listsPml4ToPt_withPsAllowedOnlyInPdptAndPd() {
        assertThat(PagingMode.FOUR_LEVEL.levels())
                .extracting(PagingLevel::name, PagingLevel::shift, PagingLevel::pageSizeAllowed)
                .containsExactly(tuple("PML4", 39, false), tuple("PDPT", 30, true), tuple("PD", 21, true),
                        tuple("PT", 12, false));
    }

    @Test
    void fiveLevelTable_putsPml5OnTop_andWidensAddressesTo57Bits() {
        assertThat(PagingMode.FIVE_LEVEL.levels()).first().isEqualTo(PagingLevel.PML5);
        assertThat(PagingMode.FIVE_LEVEL.levels()).hasSize(5);
        assertThat(PagingMode.FIVE_LEVEL.isCanonical(Gva.of(0xff11000000000000L))).isTrue();
        assertThat(PagingMode.FOUR_LEVEL.isCanonical(Gva.of(0xff11000000000000L))).isFalse();
    }

    @Test
    void levelIndex_takesNineBitsAtTheLevelsShift() {
        assertThat(PagingLevel.PML4.index(0xffff888000201123L)).isEqualTo(0x111);
        assertThat(PagingLevel.PT.index(0xffff888000201123L)).isEqualTo(1);
        assertThat(PagingLevel.PD.pageSizeBytes()).isEqualTo(2L << 20);
    }
}
