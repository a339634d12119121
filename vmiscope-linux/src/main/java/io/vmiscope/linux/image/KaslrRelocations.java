package io.vmiscope.linux.image;

import io.vmiscope.linux.symbols.ProfileException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The words of a relocatable x86-64 kernel that its decompressor adjusts when KASLR moves the kernel:
 * the table {@code arch/x86/tools/relocs} appends to {@code vmlinux.bin} before compression
 * ({@code CONFIG_X86_NEED_RELOCS}), read as {@code handle_relocations()} in
 * {@code arch/x86/boot/compressed/misc.c} reads it — backwards from the end of the decompressed payload:
 *
 * <pre>
 *   … | 0 | 64-bit relocs … | 0 | inverse 32-bit relocs … | 0 | 32-bit relocs … | (end of payload)
 *        ◀──────────────────────────────────────────── read in this direction
 * </pre>
 *
 * Each entry is the link-time virtual address of a word, as a 32-bit value sign-extended to 64 bits.
 * With a virtual slide {@code delta}, a 32-bit word gets {@code += delta}, an inverse one {@code -= delta},
 * a 64-bit word {@code += delta}. Immutable and thread-safe.
 */
public final class KaslrRelocations {

    /** Most entries accepted (Linux 6.1 has about 200,000). */
    public static final int MAX_ENTRIES = 4_000_000;

    private static final KaslrRelocations NONE = new KaslrRelocations(new long[0], new long[0], new long[0]);

    private final long[] words32;
    private final long[] inverse32;
    private final long[] words64;

    private KaslrRelocations(long[] words32, long[] inverse32, long[] words64) {
        this.words32 = words32;
        this.inverse32 = inverse32;
        this.words64 = words64;
    }

    /** No relocations: a kernel that was not built relocatable, or one always run at its link address. */
    public static KaslrRelocations none() {
        return NONE;
    }

    /**
     * Parses the table at the end of {@code payload} (the whole decompressed payload).
     *
     * @param low           lowest link-time address an entry may name ({@code _text})
     * @param highExclusive first address past the image ({@code _end})
     * @throws ProfileException when a list has no terminator within the payload, holds more than
     *                          {@value #MAX_ENTRIES} entries, or names an address outside the image
     */
    public static KaslrRelocations parse(ByteBuffer payload, long low, long highExclusive, String source) {
        ByteBuffer bytes = payload.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int[] position = {bytes.limit() - Integer.BYTES};
        long[] words32 = list(bytes, position, low, highExclusive, source, "32-bit");
        long[] inverse32 = list(bytes, position, low, highExclusive, source, "inverse 32-bit");
        long[] words64 = list(bytes, position, low, highExclusive, source, "64-bit");
        return new KaslrRelocations(words32, inverse32, words64);
    }

    private static long[] list(ByteBuffer bytes, int[] position, long low, long highExclusive, String source,
                               String kind) {
        long[] entries = new long[64];
        int count = 0;
        while (true) {
            if (position[0] < 0) {
                throw new ProfileException(source + ": the " + kind + " relocation list has no terminator");
            }
            long address = bytes.getInt(position[0]); // sign-extended, as misc.c's "long extended = *reloc"
            position[0] -= Integer.BYTES;
            if (address == 0) {
                break;
            }
            if (Long.compareUnsigned(address, low) < 0 || Long.compareUnsigned(address, highExclusive) >= 0) {
                throw new ProfileException(source + ": " + kind + " relocation of 0x" + Long.toHexString(address)
                        + " lies outside the kernel image");
            }
            if (count == MAX_ENTRIES) {
                throw new ProfileException(source + ": more than " + MAX_ENTRIES + " " + kind + " relocations");
            }
            if (count == entries.length) {
                entries = Arrays.copyOf(entries, entries.length * 2);
            }
            entries[count++] = address;
        }
        long[] sorted = Arrays.copyOf(entries, count);
        Arrays.sort(sorted);
        return sorted;
    }

    /** Number of relocated words, all kinds. */
    public int size() {
        return words32.length + inverse32.length + words64.length;
    }

    /**
     * Applies the relocations for a virtual slide to a copy of image bytes, as the decompressor does.
     * Words that straddle an edge of the range are left alone: apply to whole sections, not pages.
     *
     * @param bytes   image bytes of the link-time range {@code [address, address + bytes.length)}; changed in place
     * @param slide   the KASLR virtual slide (live address − link-time address); 0 changes nothing
     * @return the number of words adjusted
     */
    public int apply(byte[] bytes, long address, long slide) {
        if (slide == 0) {
            return 0;
        }
        return adjust(bytes, address, words32, Integer.BYTES, slide)
                + adjust(bytes, address, inverse32, Integer.BYTES, -slide)
                + adjust(bytes, address, words64, Long.BYTES, slide);
    }

    private static int adjust(byte[] bytes, long address, long[] words, int width, long delta) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int from = Arrays.binarySearch(words, address);
        from = from < 0 ? -from - 1 : from;
        int touched = 0;
        long end = address + bytes.length;
        for (int i = from; i < words.length && words[i] + width <= end; i++) {
            int at = (int) (words[i] - address);
            if (width == Long.BYTES) {
                buffer.putLong(at, buffer.getLong(at) + delta);
            } else {
                buffer.putInt(at, (int) (buffer.getInt(at) + delta));
            }
            touched++;
        }
        return touched;
    }

    @Override
    public String toString() {
        return "KaslrRelocations[" + words32.length + " 32-bit, " + inverse32.length + " inverse 32-bit, "
                + words64.length + " 64-bit]";
    }
}
