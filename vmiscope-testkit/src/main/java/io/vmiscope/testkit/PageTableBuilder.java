package io.vmiscope.testkit;

import io.vmiscope.api.Gpa;
import io.vmiscope.api.Hex;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Builds real x86-64 page tables (4- or 5-level paging, Intel SDM Vol. 3A §4.5) inside a
 * {@link FakeGuest}'s physical memory, so translation code can be tested against the bytes a CPU
 * would walk.
 *
 * <p>Tables and data pages come from a bump allocator that starts at {@code tablePoolStartGpa} and
 * hands out zeroed 4 KiB pages; the test must keep the pool clear of physical memory it lays out
 * itself. Levels are numbered as in the SDM's walk, from the leaf up: 1 = PT, 2 = PD, 3 = PDPT,
 * 4 = PML4, 5 = PML5. Intermediate entries are written present, writable and user-accessible; leaf
 * entries present and writable (plus PS for 2 MiB and 1 GiB pages).
 *
 * <p>Besides the tables, the builder keeps its own record of what it mapped, so
 * {@link #physicalAddressOf} and {@link #writeVirtual} keep working after a test corrupted the
 * tables with {@link #setRawEntry} or {@link #linkCycle}. Entries are written through the fake's
 * unrecorded write helpers. Not thread-safe.
 */
public final class PageTableBuilder {

    /** Entry bit 0: present. */
    public static final long PRESENT = 1L;
    /** Entry bit 1: writable. */
    public static final long WRITABLE = 1L << 1;
    /** Entry bit 2: user-mode accessible. */
    public static final long USER = 1L << 2;
    /** Entry bit 7 in a PDPTE or PDE: the entry maps a 1 GiB or 2 MiB page. */
    public static final long PAGE_SIZE_BIT = 1L << 7;
    /** Entry bit 63: execute-disable. */
    public static final long NO_EXECUTE = 1L << 63;

    private static final long ADDRESS_MASK = 0x000F_FFFF_FFFF_F000L;
    private static final int PT = 1;
    private static final int PD = 2;
    private static final int PDPT = 3;

    private final FakeGuest guest;
    private final int levels;
    private final long root;
    private final Map<Integer, Map<Long, Long>> mappingsByLevel = new HashMap<>();
    private long nextFreePage;

    /**
     * Allocates an empty top-level table at {@code tablePoolStartGpa}.
     *
     * @param levels            4 (PML4 root) or 5 (PML5 root, CR4.LA57 set)
     * @param tablePoolStartGpa 4 KiB-aligned start of the page pool inside the guest's RAM
     */
    public PageTableBuilder(FakeGuest guest, int levels, long tablePoolStartGpa) {
        if (levels != 4 && levels != 5) {
            throw new IllegalArgumentException("x86-64 paging has 4 or 5 levels, not " + levels);
        }
        if ((tablePoolStartGpa & 0xfff) != 0) {
            throw new IllegalArgumentException("pool start is not 4 KiB aligned: " + Hex.address(tablePoolStartGpa));
        }
        this.guest = guest;
        this.levels = levels;
        this.nextFreePage = tablePoolStartGpa;
        for (int level = PT; level <= PDPT; level++) {
            mappingsByLevel.put(level, new HashMap<>());
        }
        this.root = allocatePage();
    }

    /** 4 or 5. */
    public int levels() {
        return levels;
    }

    /** The CR3 value for these tables: the root table's physical address, no PCID or flags. */
    public long cr3() {
        return root;
    }

    /** Hands out the next zeroed 4 KiB page of the pool and returns its physical address. */
    public long allocatePage() {
        long page = nextFreePage;
        guest.write(Gpa.of(page), new byte[FakeGuest.PAGE_SIZE_BYTES]);
        nextFreePage += FakeGuest.PAGE_SIZE_BYTES;
        return page;
    }

    /** Maps the 4 KiB page at {@code va} to physical {@code pa}. */
    public void map4k(long va, long pa) {
        map(va, pa, PT, PRESENT | WRITABLE);
    }

    /** Maps the 2 MiB page at {@code va} to physical {@code pa} (a PDE with PS set). */
    public void map2m(long va, long pa) {
        map(va, pa, PD, PRESENT | WRITABLE | PAGE_SIZE_BIT);
    }

    /** Maps the 1 GiB page at {@code va} to physical {@code pa} (a PDPTE with PS set). */
    public void map1g(long va, long pa) {
        map(va, pa, PDPT, PRESENT | WRITABLE | PAGE_SIZE_BIT);
    }

    /**
     * Maps every 4 KiB page of {@code [va, va + lengthBytes)} that is not mapped yet to a fresh page
     * from the pool.
     */
    public void mapFresh(long va, long lengthBytes) {
        long first = va & ~0xfffL;
        long pageCount = ((va - first) + lengthBytes + 0xfff) >>> 12;
        for (long i = 0; i < pageCount; i++) {
            long page = first + i * FakeGuest.PAGE_SIZE_BYTES;
            if (physicalAddressOf(page).isEmpty()) {
                map4k(page, allocatePage());
            }
        }
    }

    /** Where {@code va} was mapped by this builder (its record, not a walk of the tables). */
    public OptionalLong physicalAddressOf(long va) {
        for (int level = PT; level <= PDPT; level++) {
            long size = pageSize(level);
            Long base = mappingsByLevel.get(level).get(va & -size);
            if (base != null) {
                return OptionalLong.of(base + (va & (size - 1)));
            }
        }
        return OptionalLong.empty();
    }

    /**
     * Writes {@code bytes} at virtual {@code va}, page by page, through this builder's record of its
     * mappings.
     *
     * @throws IllegalStateException when part of the range was never mapped
     */
    public void writeVirtual(long va, byte[] bytes) {
        int done = 0;
        while (done < bytes.length) {
            long at = va + done;
            int chunk = (int) Math.min(bytes.length - done, FakeGuest.PAGE_SIZE_BYTES - (at & 0xfff));
            long pa = physicalAddressOf(at).orElseThrow(
                    () -> new IllegalStateException("virtual " + Hex.address(at) + " is not mapped"));
            byte[] part = new byte[chunk];
            System.arraycopy(bytes, done, part, 0, chunk);
            guest.write(Gpa.of(pa), part);
            done += chunk;
        }
    }

    /** Writes a little-endian 64-bit value at virtual {@code va}. */
    public void writeVirtualU64(long va, long value) {
        writeVirtual(va, littleEndian(value, 8));
    }

    /** Writes a little-endian 32-bit value at virtual {@code va}. */
    public void writeVirtualU32(long va, int value) {
        writeVirtual(va, littleEndian(value, 4));
    }

    /**
     * Physical address of the table that {@code va}'s walk uses at {@code level}, creating missing
     * tables above it.
     *
     * @throws IllegalStateException when a large page already covers {@code va} above that level
     */
    public long tableAddress(long va, int level) {
        checkLevel(level);
        checkCanonical(va);
        long table = root;
        for (int current = levels; current > level; current--) {
            long entryAddress = entryIn(table, va, current);
            long entry = guest.peekU64(Gpa.of(entryAddress));
            if ((entry & PRESENT) == 0) {
                long next = allocatePage();
                guest.writeU64(Gpa.of(entryAddress), next | PRESENT | WRITABLE | USER);
                table = next;
            } else if ((entry & PAGE_SIZE_BIT) != 0 && current <= PDPT) {
                throw new IllegalStateException(Hex.address(va) + " lies in a large page mapped at level " + current);
            } else {
                table = entry & ADDRESS_MASK;
            }
        }
        return table;
    }

    /** Physical address of {@code va}'s entry at {@code level}, creating missing tables above it. */
    public long entryAddress(long va, int level) {
        return entryIn(tableAddress(va, level), va, level);
    }

    /** Overwrites {@code va}'s entry at {@code level} with {@code raw}, whatever it means. */
    public void setRawEntry(long va, int level, long raw) {
        guest.writeU64(Gpa.of(entryAddress(va, level)), raw);
    }

    /**
     * Points {@code va}'s entry at {@code fromLevel} back at the table its walk uses at
     * {@code toLevel} ({@code toLevel >= fromLevel}; equal levels make a self-reference, like a
     * recursive page-table mapping).
     */
    public void linkCycle(long va, int fromLevel, int toLevel) {
        checkLevel(toLevel);
        if (toLevel < fromLevel) {
            throw new IllegalArgumentException("a cycle points up or sideways: from " + fromLevel + " to " + toLevel);
        }
        long target = tableAddress(va, toLevel);
        setRawEntry(va, fromLevel, target | PRESENT | WRITABLE | USER);
    }

    private void map(long va, long pa, int leafLevel, long flags) {
        long size = pageSize(leafLevel);
        if ((va & (size - 1)) != 0 || (pa & (size - 1)) != 0) {
            throw new IllegalArgumentException("not aligned to " + size + " bytes: va " + Hex.address(va)
                    + ", pa " + Hex.address(pa));
        }
        if (pa < 0 || pa >= Gpa.MAX_EXCLUSIVE) {
            throw new IllegalArgumentException("not a physical address: " + Hex.address(pa));
        }
        setRawEntry(va, leafLevel, pa | flags);
        mappingsByLevel.get(leafLevel).put(va, pa);
    }

    private void checkLevel(int level) {
        if (level < PT || level > levels) {
            throw new IllegalArgumentException("level " + level + " does not exist with " + levels + "-level paging");
        }
    }

    private void checkCanonical(long va) {
        int bits = levels == 5 ? 57 : 48;
        long top = va >> (bits - 1);
        if (top != 0 && top != -1) {
            throw new IllegalArgumentException("non-canonical address: " + Hex.address(va));
        }
    }

    private static long entryIn(long table, long va, int level) {
        long index = (va >>> (12 + 9 * (level - 1))) & 0x1ff;
        return table + index * 8;
    }

    private static long pageSize(int level) {
        return 1L << (12 + 9 * (level - 1));
    }

    private static byte[] littleEndian(long value, int width) {
        byte[] bytes = new byte[width];
        for (int i = 0; i < width; i++) {
            bytes[i] = (byte) (value >>> (8 * i));
        }
        return bytes;
    }
}
