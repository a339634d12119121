package io.vmiscope.x86;

import io.vmiscope.api.Gva;
import java.util.List;

/**
 * The two IA-32e paging modes of x86-64, each as the table of levels a walk visits from CR3 down
 * (Intel SDM Vol. 3A §4.5). Immutable.
 */
public enum PagingMode {
    /** 4-level paging: 48-bit virtual addresses, PML4 → PDPT → PD → PT. */
    FOUR_LEVEL(48, List.of(PagingLevel.PML4, PagingLevel.PDPT, PagingLevel.PD, PagingLevel.PT)),
    /** 5-level paging (CR4.LA57 = 1): 57-bit virtual addresses, PML5 first. */
    FIVE_LEVEL(57, List.of(PagingLevel.PML5, PagingLevel.PML4, PagingLevel.PDPT, PagingLevel.PD, PagingLevel.PT));

    /** CR4 bit 12, LA57: 5-level paging when IA-32e paging is active (Intel SDM 3A §2.5, §4.5). */
    public static final long CR4_LA57 = 1L << 12;

    private final int virtualAddressBits;
    private final List<PagingLevel> levels;

    PagingMode(int virtualAddressBits, List<PagingLevel> levels) {
        this.virtualAddressBits = virtualAddressBits;
        this.levels = levels;
    }

    /** The mode a vCPU with this CR4 value uses (assuming IA-32e mode, as every x86-64 kernel runs). */
    public static PagingMode fromCr4(long cr4) {
        return (cr4 & CR4_LA57) != 0 ? FIVE_LEVEL : FOUR_LEVEL;
    }

    /** The levels a walk visits, from the table CR3 points at down to the page table. */
    public List<PagingLevel> levels() {
        return levels;
    }

    /** Width of a linear address: 48 or 57 bits. */
    public int virtualAddressBits() {
        return virtualAddressBits;
    }

    /**
     * Intel SDM 3A §4.5.1 / §3.3.7.1: an address is canonical when the bits above the linear-address
     * width repeat its top bit; anything else faults before any table is read.
     */
    public boolean isCanonical(Gva address) {
        return address.isCanonical(virtualAddressBits);
    }
}
