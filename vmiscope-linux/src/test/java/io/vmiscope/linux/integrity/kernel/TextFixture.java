package io.vmiscope.linux.integrity.kernel;

import io.vmiscope.api.Gpa;
import io.vmiscope.linux.image.ElfFile;
import io.vmiscope.linux.image.KaslrRelocations;
import io.vmiscope.linux.image.TestElf;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.symbols.KernelSymbol;
import io.vmiscope.testkit.FakeGuest;
import io.vmiscope.testkit.PageTableBuilder;
import io.vmiscope.x86.GuestMemory;
import io.vmiscope.x86.PagingMode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * A hand-made kernel for the text reader's tests: three pages of seeded random "text" at the x86-64
 * link address in an ELF image, two functions ({@code alpha} at the start, an alias of {@code _stext}, {@code beta} at +0x1800),
 * one relocated 64-bit word at +0x100 and one 32-bit word at +0x208, and a fake guest whose page tables
 * map the text at {@code TEXT + SLIDE}.
 */
final class TextFixture {

    static final long TEXT = 0xffff_ffff_8100_0000L;
    static final int PAGES = 3;
    static final int LENGTH = PAGES * 4096;
    static final long SLIDE = 0x2a0_0000L;
    static final long WORD64 = TEXT + 0x100;
    static final long WORD32 = TEXT + 0x208;
    static final long BETA = TEXT + 0x1800;
    private static final long TEXT_GPA = 0x20_0000;

    final byte[] text = new byte[LENGTH];
    final ElfFile elf;
    final KernelProfile profile;
    final KaslrRelocations relocations;
    final FakeGuest guest = new FakeGuest();
    final PageTableBuilder tables = new PageTableBuilder(guest, 4, 0x10_0000);

    TextFixture() {
        new Random(15).nextBytes(text);
        ByteBuffer words = ByteBuffer.wrap(text).order(ByteOrder.LITTLE_ENDIAN);
        words.putLong((int) (WORD64 - TEXT), TEXT + 0x500);
        words.putInt((int) (WORD32 - TEXT), (int) (TEXT + 0x600));
        elf = ElfFile.parse(ByteBuffer.wrap(new TestElf().progbits(".text", TEXT, text).build()), "test-vmlinux");
        Map<String, KernelSymbol> symbols = new HashMap<>();
        for (Object[] s : new Object[][] {{"_text", TEXT}, {"_stext", TEXT}, {"alpha", TEXT}, {"beta", BETA},
                {"_etext", TEXT + LENGTH}, {"_end", TEXT + LENGTH + 0x1000}}) {
            symbols.put((String) s[0], new KernelSymbol((String) s[0], (Long) s[1], 'T'));
        }
        profile = new KernelProfile("test-vmlinux", "", "", symbols, Map.of());
        // read backwards: 32-bit {WORD32}, 0, inverse {}, 0, 64-bit {WORD64}, 0
        ByteBuffer table = ByteBuffer.allocate(5 * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0).putInt((int) WORD64).putInt(0).putInt(0).putInt((int) WORD32);
        relocations = KaslrRelocations.parse(table.flip(), TEXT, TEXT + LENGTH, "test-vmlinux");
        for (int page = 0; page < PAGES; page++) {
            tables.map4k(TEXT + SLIDE + page * 4096L, TEXT_GPA + page * 4096L);
        }
    }

    /** The text as the kernel runs it at {@link #SLIDE}: relocated, not yet patched. */
    byte[] relocated() {
        byte[] live = text.clone();
        ByteBuffer words = ByteBuffer.wrap(live).order(ByteOrder.LITTLE_ENDIAN);
        words.putLong((int) (WORD64 - TEXT), TEXT + 0x500 + SLIDE);
        words.putInt((int) (WORD32 - TEXT), (int) (TEXT + 0x600 + SLIDE));
        return live;
    }

    /** Puts {@code live} into the guest's memory behind the mapped text. */
    TextFixture load(byte[] live) {
        guest.write(Gpa.of(TEXT_GPA), live);
        return this;
    }

    GuestMemory memory() {
        return new GuestMemory(guest, tables.cr3(), PagingMode.FOUR_LEVEL);
    }

    KernelTextVerifier verifier(TextPatchSites sites) {
        return new KernelTextVerifier(memory(), profile, elf, relocations, SLIDE, sites);
    }
}
