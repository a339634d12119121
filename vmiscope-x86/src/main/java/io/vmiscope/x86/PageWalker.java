package io.vmiscope.x86;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gpa;
import io.vmiscope.api.Gva;
import io.vmiscope.api.Hex;
import io.vmiscope.x86.PageFaultException.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * One loop over a {@link PagingMode}'s level table: reads one entry per level through an
 * {@link EntryReader} and stops at the first entry that maps a page. At most five entries are read
 * per walk, whatever the tables contain. Stateless apart from its configuration.
 */
final class PageWalker {

    /** Bits 51:12 of CR3 and of every paging-structure entry hold a 4 KiB-aligned physical address. */
    static final long ADDRESS_MASK = 0x000F_FFFF_FFFF_F000L;

    private static final long PRESENT = 1L;
    private static final long PAGE_SIZE = 1L << 7;
    /** Bit 12 of an entry that maps a 2 MiB or 1 GiB page is PAT, not part of the address. */
    private static final long LARGE_PAGE_PAT_AND_BELOW = 0x1fffL;

    /** Reads one 8-byte paging-structure entry; may throw {@link GuestAccessException}. */
    @FunctionalInterface
    interface EntryReader {
        long read(Gpa entryAddress);
    }

    private final PagingMode mode;
    private final long physicalLimitExclusive;

    /** @param physicalLimitExclusive tables and pages must lie below this physical address */
    PageWalker(PagingMode mode, long physicalLimitExclusive) {
        this.mode = mode;
        this.physicalLimitExclusive = physicalLimitExclusive;
    }

    /**
     * Translates {@code address} through the tables rooted at {@code cr3}.
     *
     * @param context only for error messages
     * @throws PageFaultException when the walk cannot complete
     */
    Translation walk(AccessContext context, long cr3, Gva address, EntryReader reader) {
        List<PagingLevel> levels = mode.levels();
        List<TraceEntry> trace = new ArrayList<>(levels.size());
        if (!mode.isCanonical(address)) {
            throw new PageFaultException(context, null, Reason.NON_CANONICAL,
                    "non-canonical address for " + mode.virtualAddressBits() + "-bit linear addresses", trace, null);
        }
        long va = address.value();
        // Intel SDM 3A §4.5.2: CR3 bits 51:12 locate the top-level table; bits 11:0 are PCID or
        // PWT/PCD, bit 63 is the no-flush hint of MOV to CR3, bits 62:52 are reserved.
        long table = cr3 & ADDRESS_MASK;
        for (int i = 0; i < levels.size(); i++) {
            PagingLevel level = levels.get(i);
            if (table >= physicalLimitExclusive) {
                throw new PageFaultException(context, level.name(), Reason.PHYSICAL_ADDRESS_OUT_OF_RANGE,
                        "table at " + Hex.address(table) + " lies beyond the maximum physical address "
                                + Hex.address(physicalLimitExclusive), trace, null);
            }
            Gpa entryAddress = Gpa.of(table + level.index(va) * 8L);
            long entry = readEntry(context, level, entryAddress, reader, trace);
            trace.add(new TraceEntry(level.name(), entryAddress, entry));
            // SDM 3A §4.5.4: an entry with P = 0 ends the walk with a page fault.
            if ((entry & PRESENT) == 0) {
                throw fault(context, level, Reason.NOT_PRESENT, "entry not present", trace);
            }
            boolean last = i == levels.size() - 1;
            boolean mapsLargePage = !last && (entry & PAGE_SIZE) != 0;
            if (mapsLargePage && !level.pageSizeAllowed()) {
                // SDM 3A §4.5.4, Tables 4-14/4-15: bit 7 of a PML5E or PML4E is reserved (must be 0).
                throw fault(context, level, Reason.RESERVED_BIT, "PS (bit 7) set where it is reserved", trace);
            }
            if (last || mapsLargePage) {
                return leaf(context, level, entry, va, trace);
            }
            table = entry & ADDRESS_MASK;
        }
        throw new AssertionError("the last paging level always maps a page");
    }

    private Translation leaf(AccessContext context, PagingLevel level, long entry, long va, List<TraceEntry> trace) {
        long size = level.pageSizeBytes();
        long frameMask = ADDRESS_MASK & -size;
        if (size > 4096) {
            // SDM 3A §4.5.4, Tables 4-17 (PDPTE, 1 GiB) and 4-19 (PDE, 2 MiB): address bits below the
            // page size, above the PAT bit 12, are reserved.
            long reserved = (size - 1) & ~LARGE_PAGE_PAT_AND_BELOW;
            if ((entry & reserved) != 0) {
                throw fault(context, level, Reason.RESERVED_BIT, "reserved address bits "
                        + Hex.address(entry & reserved) + " set in a " + (size >> 20) + " MiB page entry", trace);
            }
        }
        long gpa = (entry & frameMask) | (va & (size - 1));
        if (gpa >= physicalLimitExclusive) {
            throw fault(context, level, Reason.PHYSICAL_ADDRESS_OUT_OF_RANGE, "page address " + Hex.address(gpa)
                    + " lies beyond the maximum physical address " + Hex.address(physicalLimitExclusive), trace);
        }
        return new Translation(Gpa.of(gpa), size, trace);
    }

    private static long readEntry(AccessContext context, PagingLevel level, Gpa entryAddress, EntryReader reader,
            List<TraceEntry> trace) {
        try {
            return reader.read(entryAddress);
        } catch (GuestAccessException e) {
            throw new PageFaultException(context, level.name(), Reason.TABLE_UNREADABLE,
                    "entry at " + entryAddress + " unreadable: " + e.getMessage(), trace, e);
        }
    }

    private static PageFaultException fault(AccessContext context, PagingLevel level, Reason reason, String detail,
            List<TraceEntry> trace) {
        return new PageFaultException(context, level.name(), reason, detail, trace, null);
    }
}
