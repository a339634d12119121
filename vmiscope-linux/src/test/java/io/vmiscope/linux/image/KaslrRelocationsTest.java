package io.vmiscope.linux.image;

import io.vmiscope.linux.symbols.ProfileException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KaslrRelocationsTest {

    private static final long TEXT = 0xffff_ffff_8100_0000L;
    private static final long END = TEXT + 0x1000;

    private static ByteBuffer table(int... words) {
        ByteBuffer buffer = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            buffer.putInt(w);
        }
        return buffer.flip();
    }

    @Test
    void theThreeLists_areReadBackwardsFromTheEnd_andApplyAsTheDecompressorDoes() {
        // forward order: 0 | 64-bit {+0x10} | 0 | inverse {+0x20} | 0 | 32-bit {+0x30, +0x40}
        KaslrRelocations relocations = KaslrRelocations.parse(table(0, (int) (TEXT + 0x10), 0, (int) (TEXT + 0x20), 0,
                (int) (TEXT + 0x40), (int) (TEXT + 0x30)), TEXT, END, "t");
        byte[] bytes = new byte[0x48];
        ByteBuffer words = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        words.putLong(0x10, TEXT + 0x500).putInt(0x20, 0x100).putInt(0x30, (int) (TEXT + 0x600)).putInt(0x40, 7);

        int adjusted = relocations.apply(bytes, TEXT, 0x200_0000);

        assertThat(adjusted).isEqualTo(4);
        assertThat(relocations.size()).isEqualTo(4);
        assertThat(words.getLong(0x10)).isEqualTo(TEXT + 0x500 + 0x200_0000);
        assertThat(words.getInt(0x20)).isEqualTo(0x100 - 0x200_0000);
        assertThat(words.getInt(0x30)).isEqualTo((int) (TEXT + 0x600 + 0x200_0000));
        assertThat(words.getInt(0x40)).isEqualTo(7 + 0x200_0000);
    }

    @Test
    void noSlide_changesNothing_andWordsAcrossTheRangeEdgeAreLeftAlone() {
        KaslrRelocations relocations = KaslrRelocations.parse(table(0, (int) (TEXT + 0x6), 0, 0), TEXT, END, "t");
        byte[] bytes = new byte[8];

        assertThat(relocations.apply(bytes, TEXT, 0)).isZero();
        assertThat(relocations.apply(bytes, TEXT, 0x200_0000)).isZero();
        assertThat(bytes).containsOnly(0);
    }

    @Test
    void anEntryOutsideTheImage_orAMissingTerminator_isAOneLineProfileError() {
        assertThatThrownBy(() -> KaslrRelocations.parse(table(0, 0, 0x1234), TEXT, END, "vmlinuz-x"))
                .isInstanceOf(ProfileException.class)
                .hasMessage("vmlinuz-x: 32-bit relocation of 0x1234 lies outside the kernel image");
        assertThatThrownBy(() -> KaslrRelocations.parse(table((int) TEXT, (int) TEXT), TEXT, END, "vmlinuz-x"))
                .isInstanceOf(ProfileException.class)
                .hasMessage("vmlinuz-x: the 32-bit relocation list has no terminator");
    }
}
