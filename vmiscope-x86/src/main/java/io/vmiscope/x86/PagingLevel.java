package io.vmiscope.x86;

/**
 * One level of an x86-64 page walk: which table it reads, which virtual-address bits index it, and
 * whether its entries may map a page directly.
 *
 * @param name            the SDM's name for the table ({@code "PML4"}, {@code "PD"}, …)
 * @param shift           the lowest virtual-address bit of this level's 9-bit index; an entry that
 *                        maps a page here maps {@code 1 << shift} bytes
 * @param pageSizeAllowed whether bit 7 (PS) may make an entry at this level map a page (PDPTE: 1 GiB,
 *                        PDE: 2 MiB); in PML5Es and PML4Es bit 7 is reserved. The last level (PT)
 *                        always maps pages, its bit 7 being PAT.
 */
public record PagingLevel(String name, int shift, boolean pageSizeAllowed) {

    /** Intel SDM 3A §4.5.4: PML5 table, indexed by bits 56:48 (5-level paging only). */
    public static final PagingLevel PML5 = new PagingLevel("PML5", 48, false);
    /** PML4 table, indexed by bits 47:39. */
    public static final PagingLevel PML4 = new PagingLevel("PML4", 39, false);
    /** Page-directory-pointer table, indexed by bits 38:30; PS maps a 1 GiB page. */
    public static final PagingLevel PDPT = new PagingLevel("PDPT", 30, true);
    /** Page directory, indexed by bits 29:21; PS maps a 2 MiB page. */
    public static final PagingLevel PD = new PagingLevel("PD", 21, true);
    /** Page table, indexed by bits 20:12; every present entry maps a 4 KiB page. */
    public static final PagingLevel PT = new PagingLevel("PT", 12, false);

    /** Index (0–511) of {@code virtualAddress}'s entry in this level's table. */
    public int index(long virtualAddress) {
        return (int) ((virtualAddress >>> shift) & 0x1ff);
    }

    /** Bytes mapped by an entry of this level that maps a page. */
    public long pageSizeBytes() {
        return 1L << shift;
    }
}
