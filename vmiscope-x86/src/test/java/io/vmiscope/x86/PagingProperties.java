package io.vmiscope.x86;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gpa;
import io.vmiscope.api.Gva;
import io.vmiscope.testkit.FakeGuest;
import io.vmiscope.testkit.PageTableBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class PagingProperties {

    /** Pages of the adversarial guest; entries point at up to twice as many, so some are unbacked. */
    private static final int RAM_PAGES = 16;

    @Property(tries = 400)
    void randomPageTables_failOnlyWithGuestAccessException_andReadAtMostOneEntryPerLevel(
            @ForAll long seed, @ForAll boolean fiveLevel, @ForAll("virtualAddresses") long va) {
        Random random = new Random(seed);
        FakeGuest guest = new FakeGuest(RAM_PAGES * 4096L, 1);
        for (int page = 0; page < RAM_PAGES; page++) {
            byte[] table = new byte[4096];
            for (int entry = 0; entry < 512; entry++) {
                long value = hostileEntry(random);
                for (int b = 0; b < 8; b++) {
                    table[entry * 8 + b] = (byte) (value >>> (8 * b));
                }
            }
            guest.write(Gpa.of(page * 4096L), table);
        }
        PagingMode mode = fiveLevel ? PagingMode.FIVE_LEVEL : PagingMode.FOUR_LEVEL;
        GuestMemory.Options options = random.nextBoolean()
                ? GuestMemory.Options.DEFAULTS
                : GuestMemory.Options.DEFAULTS.withMaxPhysicalAddress(RAM_PAGES * 4096L);
        GuestMemory memory = new GuestMemory(guest, hostileEntry(random), mode, options);
        guest.clearCalls();

        try {
            Translation translation = memory.translate(AccessContext.kernel(Gva.of(va)));
            assertThat(translation.trace()).isNotEmpty().hasSizeLessThanOrEqualTo(mode.levels().size());
            assertThat(translation.gpa().value()).isLessThan(options.maxPhysicalAddressExclusive());
        } catch (PageFaultException fault) {
            assertThat(fault.trace()).hasSizeLessThanOrEqualTo(mode.levels().size());
            assertThat(fault.getMessage()).contains(Long.toHexString(va));
        } catch (GuestAccessException other) {
            throw new AssertionError("translation failures must be page faults", other);
        }
        assertThat(guest.calls()).hasSizeLessThanOrEqualTo(mode.levels().size());
    }

    @Property(tries = 200)
    void translatedRead_equalsTheBytesWrittenAtTheMappedPhysicalPages(
            @ForAll long seed, @ForAll boolean fiveLevel, @ForAll @IntRange(min = 1, max = 6) int pageCount) {
        Random random = new Random(seed);
        FakeGuest guest = new FakeGuest(64L << 20, 1);
        PageTableBuilder tables = new PageTableBuilder(guest, fiveLevel ? 5 : 4, 0x100000);
        long base = fiveLevel ? 0xff11000000000000L : 0xffff888000000000L;
        long firstPage = base + (random.nextInt(1 << 20) << 12);
        List<Long> frames = shuffledFrames(random, pageCount);
        byte[] expected = new byte[pageCount * 4096];
        random.nextBytes(expected);
        for (int page = 0; page < pageCount; page++) {
            tables.map4k(firstPage + page * 4096L, frames.get(page));
            guest.write(Gpa.of(frames.get(page)), Arrays.copyOfRange(expected, page * 4096, (page + 1) * 4096));
        }
        GuestMemory memory = new GuestMemory(guest, tables.cr3(), fiveLevel ? PagingMode.FIVE_LEVEL : PagingMode.FOUR_LEVEL);
        int offset = random.nextInt(expected.length);
        int length = 1 + random.nextInt(expected.length - offset);

        byte[] read = memory.read(AccessContext.kernel(Gva.of(firstPage + offset)), length);

        assertThat(read).isEqualTo(Arrays.copyOfRange(expected, offset, offset + length));
    }

    @Property(tries = 200)
    void readsAfterTheTablesChangedWhileTheVmRan_equalTheReadsOfAMemoryWithNothingCached(@ForAll long seed) {
        Random random = new Random(seed);
        FakeGuest guest = new FakeGuest(64L << 20, 1);
        PageTableBuilder tables = new PageTableBuilder(guest, 4, 0x100000);
        long base = 0x00007f0000000000L + ((long) random.nextInt(1 << 16) << 21);
        int pages = 1 + random.nextInt(12);
        for (int page = 0; page < pages; page++) {
            tables.map4k(base + page * 4096L, randomFrame(random, guest));
        }
        GuestMemory cached = new GuestMemory(guest, tables.cr3(), PagingMode.FOUR_LEVEL);
        for (int run = 0; run < 6; run++) {
            for (int change = random.nextInt(4); change > 0; change--) {
                changeWhileRunning(random, tables, guest, base + random.nextInt(pages) * 4096L);
            }
            cached.invalidate();
            GuestMemory fresh = new GuestMemory(guest, tables.cr3(), PagingMode.FOUR_LEVEL);
            List<ContextRead> ours = new ArrayList<>();
            List<ContextRead> theirs = new ArrayList<>();
            for (int read = 1 + random.nextInt(4); read > 0; read--) {
                long va = base + random.nextInt(pages * 4096);
                int length = 1 + random.nextInt(6000);
                ours.add(ContextRead.of(AccessContext.process(Gva.of(va), tables.cr3()), length));
                theirs.add(ContextRead.of(AccessContext.process(Gva.of(va), tables.cr3()), length));
            }

            java.util.Map<Integer, GuestAccessException> ourFailures = cached.readEach(ours);
            java.util.Map<Integer, GuestAccessException> theirFailures = fresh.readEach(theirs);

            assertThat(ourFailures.keySet()).isEqualTo(theirFailures.keySet());
            for (int i = 0; i < ours.size(); i++) {
                if (!ourFailures.containsKey(i)) {
                    assertThat(ours.get(i).buffer()).as("read %d of run %d", i, run).isEqualTo(theirs.get(i).buffer());
                }
            }
        }
    }

    /** What a guest does to a page's mapping while it runs: remap, unmap, move its table, write data. */
    private static void changeWhileRunning(Random random, PageTableBuilder tables, FakeGuest guest, long va) {
        switch (random.nextInt(4)) {
            case 0 -> tables.map4k(va, randomFrame(random, guest));
            case 1 -> tables.setRawEntry(va, 1, 0);
            case 2 -> {
                // a new PT page for the 2 MiB region; the old one keeps its (now stale) entries
                long oldTable = tables.tableAddress(va, 1);
                long newTable = tables.allocatePage();
                for (int i = 0; i < 512; i++) {
                    long entry = guest.peekU64(Gpa.of(oldTable + i * 8L));
                    guest.writeU64(Gpa.of(newTable + i * 8L), random.nextInt(3) == 0 && (entry & 1) != 0
                            ? randomFrame(random, guest) | PageTableBuilder.PRESENT | PageTableBuilder.USER : entry);
                }
                tables.setRawEntry(va, 2, newTable | PageTableBuilder.PRESENT | PageTableBuilder.WRITABLE
                        | PageTableBuilder.USER);
            }
            default -> {
                byte[] data = new byte[1 + random.nextInt(64)];
                random.nextBytes(data);
                tables.physicalAddressOf(va).ifPresent(pa -> guest.write(Gpa.of(pa), data));
            }
        }
    }

    /** A frame in the upper half of the 64 MiB guest (the tables grow from 1 MiB), filled with noise. */
    private static long randomFrame(Random random, FakeGuest guest) {
        long frame = (32L << 20) + ((long) random.nextInt(8192) << 12);
        byte[] data = new byte[4096];
        random.nextBytes(data);
        guest.write(Gpa.of(frame), data);
        return frame;
    }

    /** Canonical addresses in both halves, plus some arbitrary (mostly non-canonical) values. */
    @Provide
    Arbitrary<Long> virtualAddresses() {
        Arbitrary<Long> low57 = Arbitraries.longs().between(0, (1L << 57) - 1);
        return Arbitraries.oneOf(
                low57.map(v -> v >> 9),
                low57.map(v -> (v >> 9) | 0xffff800000000000L),
                low57,
                low57.map(v -> v | 0xff00000000000000L),
                Arbitraries.longs());
    }

    /** Mostly plausible entries pointing inside or just beyond the small RAM, some pure noise. */
    private static long hostileEntry(Random random) {
        if (random.nextInt(10) == 0) {
            return random.nextLong();
        }
        long frame = (long) random.nextInt(2 * RAM_PAGES) << 12;
        long flags = random.nextLong() & 0xfffL;
        if (random.nextInt(3) > 0) {
            flags |= 1;
        }
        if (random.nextInt(6) == 0) {
            frame |= random.nextLong() & 0x000F_FFFF_FFE0_0000L;
        }
        long high = random.nextInt(5) == 0 ? random.nextLong() & 0xfff0_0000_0000_0000L : 0;
        return high | frame | flags;
    }

    /** Distinct 4 KiB frames above the table pool, sometimes physically contiguous. */
    private static List<Long> shuffledFrames(Random random, int count) {
        List<Long> frames = new ArrayList<>();
        long start = 0x1000000 + ((long) random.nextInt(1024) << 12);
        for (int i = 0; i < count; i++) {
            frames.add(start + i * 4096L);
        }
        if (random.nextBoolean()) {
            Collections.shuffle(frames, random);
        }
        return frames;
    }
}
