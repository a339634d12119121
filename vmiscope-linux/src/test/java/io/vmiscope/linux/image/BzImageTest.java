package io.vmiscope.linux.image;

import io.vmiscope.linux.symbols.ProfileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static io.vmiscope.linux.image.ImageFixtures.bzImage;
import static io.vmiscope.linux.image.ImageFixtures.compress;
import static io.vmiscope.linux.image.ImageFixtures.wrap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BzImageTest {

    private static final byte[] DATA = ImageFixtures.sampleData(200_000, 7);

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static BzImage parse(byte[] file) {
        return BzImage.parse(wrap(file), "vmlinuz-test");
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void decompress_returnsTheOriginalBytes_forEveryFormat(Compression compression) {
        BzImage image = parse(bzImage(compress(compression, DATA)));

        assertThat(image.compression()).isEqualTo(compression);
        assertThat(bytes(image.decompress())).isEqualTo(DATA);
    }

    @Test
    void parse_readsTheSetupHeaderFields() {
        byte[] payload = compress(Compression.GZIP, DATA);

        BzImage image = parse(bzImage(payload));

        assertThat(image.setupSectors()).isEqualTo(1);
        assertThat(image.protocolVersion()).isEqualTo(0x020f);
        assertThat(image.protocolVersionString()).isEqualTo("2.15");
        assertThat(image.payloadFileOffset()).isEqualTo(ImageFixtures.PROTECTED_MODE + ImageFixtures.PAYLOAD_OFFSET);
        assertThat(image.payloadLengthBytes()).isEqualTo(payload.length);
        assertThat(bytes(image.payload())).isEqualTo(payload);
        assertThat(image.toString()).contains("gzip", "2.15");
    }

    @Test
    void parse_treatsZeroSetupSectorsAsFour() {
        byte[] file = bzImage(compress(Compression.GZIP, DATA));
        file[0x1f1] = 0;
        // with 4 setup sectors the protected-mode code starts at 5 * 512: move the payload there
        byte[] moved = new byte[file.length + 3 * 512];
        System.arraycopy(file, 0, moved, 0, 0x400);
        System.arraycopy(file, 0x400, moved, 0x400 + 3 * 512, file.length - 0x400);

        assertThat(bytes(parse(moved).decompress())).isEqualTo(DATA);
    }

    @Test
    void decompress_readsAnLz4LegacyFrameOfManyBlocks_andIgnoresTheAppendedSize() throws IOException {
        byte[] frame = ImageFixtures.lz4LegacyFrame(DATA, 10_000);
        byte[] payload = Arrays.copyOf(frame, frame.length + 4);
        System.arraycopy(ImageFixtures.le32(DATA.length), 0, payload, frame.length, 4);

        assertThat(bytes(parse(bzImage(payload)).decompress())).isEqualTo(DATA);
        assertThat(bytes(parse(bzImage(frame)).decompress())).isEqualTo(DATA);
    }

    @Test
    void decompress_namesTheBlock_whenAnLz4PayloadIsTruncated() throws IOException {
        byte[] frame = ImageFixtures.lz4LegacyFrame(DATA, 10_000);
        byte[] payload = Arrays.copyOf(frame, frame.length * 2 / 3);

        assertThatThrownBy(() -> parse(bzImage(payload)).decompress())
                .isExactlyInstanceOf(ProfileException.class)
                .hasMessageMatching("vmlinuz-test: truncated LZ4 payload at block \\d+: .*");
    }

    @Test
    void decompress_rejectsAnLz4BlockSizeBeyondTheLegacyMaximum() throws IOException {
        byte[] payload = ImageFixtures.lz4LegacyFrame(DATA, 10_000);
        payload[7] = 0x7f; // the first block's size, most significant byte

        assertThatThrownBy(() -> parse(bzImage(payload)).decompress())
                .isExactlyInstanceOf(ProfileException.class)
                .hasMessageStartingWith("vmlinuz-test: corrupt LZ4 payload at block 0: block size");
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void decompress_failsWithProfileException_whenThePayloadIsCutShort(Compression compression) {
        byte[] full = compress(compression, DATA);
        for (int length : new int[] {6, full.length / 3, full.length - 40}) {
            byte[] file = bzImage(Arrays.copyOf(full, length));

            assertThatThrownBy(() -> parse(file).decompress()).as("%s cut to %d bytes", compression, length)
                    .isExactlyInstanceOf(ProfileException.class)
                    .hasMessageStartingWith("vmlinuz-test: ")
                    .hasMessageContainingAll(compression.label().startsWith("lz4") ? "LZ4" : compression.label());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"GZIP", "BZIP2", "XZ", "ZSTD"})
    void decompress_detectsAFlippedByte_inFormatsWithAChecksum(Compression compression) {
        byte[] payload = compress(compression, DATA);
        payload[payload.length / 2] ^= 0x20;

        assertThatThrownBy(() -> parse(bzImage(payload)).decompress())
                .isExactlyInstanceOf(ProfileException.class)
                .hasMessageStartingWith("vmlinuz-test: ").hasMessageContaining(compression.label() + " payload");
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void decompress_neverThrowsAnythingButProfileException_whenBytesAreFlipped(Compression compression) {
        byte[] payload = compress(compression, DATA);
        Random random = new Random(compression.ordinal());
        for (int round = 0; round < 20; round++) {
            byte[] copy = payload.clone();
            int at = 4 + random.nextInt(copy.length - 4);
            copy[at] ^= (byte) (1 + random.nextInt(255));
            try {
                parse(bzImage(copy)).decompress(4 << 20);
            } catch (ProfileException expected) {
                assertThat(expected.getMessage()).startsWith("vmlinuz-test: ").doesNotContain("\n");
            }
        }
    }

    @Test
    void decompress_stopsAtTheOutputCap() {
        byte[] zeros = new byte[5 << 20];
        BzImage image = parse(bzImage(compress(Compression.GZIP, zeros)));

        assertThatThrownBy(() -> image.decompress(1 << 20)).isExactlyInstanceOf(ProfileException.class)
                .hasMessage("vmlinuz-test: gzip payload decompresses to more than 1048576 bytes (the cap)");
        assertThat(image.decompress(5 << 20).limit()).isEqualTo(5 << 20);
    }

    @Test
    void parse_rejectsAnUnknownCompression() {
        byte[] file = bzImage("PK\3\4 this is a zip".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> parse(file)).isExactlyInstanceOf(ProfileException.class)
                .hasMessage("vmlinuz-test: unknown payload compression (magic 50 4b 03 04 20 74)");
    }

    @Test
    void parse_rejectsAPayloadThatExtendsPastTheEndOfTheFile() {
        byte[] file = bzImage(compress(Compression.GZIP, DATA));
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(0x24c, file.length);

        assertThatThrownBy(() -> parse(file)).isExactlyInstanceOf(ProfileException.class)
                .hasMessageStartingWith("vmlinuz-test: truncated: payload at 0x500 + 0x");
    }

    @Test
    void parse_rejectsAFileWithoutTheSetupHeader_orWithAnOldBootProtocol() {
        byte[] file = bzImage(compress(Compression.GZIP, DATA));
        byte[] old = file.clone();
        ByteBuffer.wrap(old).order(ByteOrder.LITTLE_ENDIAN).putShort(0x206, (short) 0x0204);
        file[0x203] = 'x';

        assertThatThrownBy(() -> parse(file)).isExactlyInstanceOf(ProfileException.class)
                .hasMessage("vmlinuz-test: no \"HdrS\" setup header at 0x202, not a bzImage");
        assertThatThrownBy(() -> parse(old)).isExactlyInstanceOf(ProfileException.class)
                .hasMessage("vmlinuz-test: boot protocol 2.04 predates payload_offset (2.08)");
        assertThatThrownBy(() -> parse(Arrays.copyOf(file, 0x210))).isExactlyInstanceOf(ProfileException.class);
    }

    @Test
    void detect_recognisesEachMagic_andNothingElse() {
        assertThat(Compression.detect(wrap(new byte[] {0x02, 0x21, 0x4c, 0x18, 0}))).contains(Compression.LZ4_LEGACY);
        assertThat(Compression.detect(wrap(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}))).contains(Compression.ZSTD);
        assertThat(Compression.detect(wrap(new byte[] {'B', 'Z', 'h', '9'}))).contains(Compression.BZIP2);
        assertThat(Compression.detect(wrap(new byte[] {'B', 'Z', 'h', 'x'}))).isEmpty();
        assertThat(Compression.detect(wrap(new byte[] {0x5d, 0, 0, (byte) 0x80, 0}))).contains(Compression.LZMA);
        assertThat(Compression.detect(wrap(new byte[] {0x1f}))).isEmpty();
        assertThat(Compression.detect(wrap(new byte[0]))).isEmpty();
    }
}
