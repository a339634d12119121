package io.vmiscope.linux.image;

import com.github.luben.zstd.ZstdOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.lz4.BlockLZ4CompressorOutputStream;
import org.tukaani.xz.FilterOptions;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.LZMAOutputStream;
import org.tukaani.xz.X86Options;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/** Builds small bzImages and compressed payloads the way the kernel build lays them out. */
final class ImageFixtures {

    /** Offset of the payload from the protected-mode code in {@link #bzImage}. */
    static final int PAYLOAD_OFFSET = 0x100;
    /** File offset of the protected-mode code in {@link #bzImage} (setup_sects = 1). */
    static final int PROTECTED_MODE = 2 * 512;

    private static final Map<String, byte[]> COMPRESSED = new ConcurrentHashMap<>();

    private ImageFixtures() {
    }

    /** Compressible, not trivially repetitive bytes. */
    static byte[] sampleData(int length, long seed) {
        Random random = new Random(seed);
        byte[] data = new byte[length];
        String words = "task_struct init_task linux_banner __x64_sys_openat vmlinux kallsyms ";
        for (int i = 0; i < length; i++) {
            data[i] = random.nextInt(8) == 0 ? (byte) random.nextInt(256) : (byte) words.charAt(i % words.length());
        }
        return data;
    }

    /**
     * The payload compressed as the kernel build does (zstd and xz with checksums), followed by the
     * decompressed size (u32 LE). Results are kept: the pure-Java LZ4 compressor is slow.
     */
    static byte[] compress(Compression compression, byte[] data) {
        String key = compression + "/" + data.length + "/" + Arrays.hashCode(data);
        return COMPRESSED.computeIfAbsent(key, k -> compressNow(compression, data)).clone();
    }

    private static byte[] compressNow(Compression compression, byte[] data) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            switch (compression) {
                case GZIP -> write(new GZIPOutputStream(out), data);
                case BZIP2 -> write(new BZip2CompressorOutputStream(out), data);
                case XZ -> write(new XZOutputStream(out, new FilterOptions[] {new X86Options(), new LZMA2Options()},
                        XZ.CHECK_CRC32), data);
                case LZMA -> write(new LZMAOutputStream(out, new LZMA2Options(), -1), data);
                case ZSTD -> write(new ZstdOutputStream(out).setChecksum(true).setLevel(19), data);
                case LZ4_LEGACY -> out.write(lz4LegacyFrame(data, 64 * 1024));
            }
            out.write(le32(data.length));
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** LZ4 legacy frame: magic, then [u32 LE compressed size][LZ4 block] per {@code blockBytes} of input. */
    static byte[] lz4LegacyFrame(byte[] data, int blockBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0x02, 0x21, 0x4c, 0x18});
        for (int at = 0; at < data.length; at += blockBytes) {
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            try (BlockLZ4CompressorOutputStream lz4 = new BlockLZ4CompressorOutputStream(block)) {
                lz4.write(data, at, Math.min(blockBytes, data.length - at));
            }
            out.write(le32(block.size()));
            block.writeTo(out);
        }
        return out.toByteArray();
    }

    /**
     * A minimal bzImage: boot sector and one setup sector with the header fields the parser reads,
     * then the payload at {@link #PROTECTED_MODE} + {@link #PAYLOAD_OFFSET}, then 16 bytes of tail.
     */
    static byte[] bzImage(byte[] payload) {
        ByteBuffer file = ByteBuffer.allocate(PROTECTED_MODE + PAYLOAD_OFFSET + payload.length + 16)
                .order(ByteOrder.LITTLE_ENDIAN);
        file.put(0x1f1, (byte) 1);
        file.putShort(0x1fe, (short) 0xaa55);
        file.put(0x202, (byte) 'H').put(0x203, (byte) 'd').put(0x204, (byte) 'r').put(0x205, (byte) 'S');
        file.putShort(0x206, (short) 0x020f);
        file.putInt(0x248, PAYLOAD_OFFSET);
        file.putInt(0x24c, payload.length);
        file.put(PROTECTED_MODE + PAYLOAD_OFFSET, payload);
        return file.array();
    }

    static ByteBuffer wrap(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    static byte[] le32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    static byte[] cut(byte[] bytes, int length) {
        return Arrays.copyOf(bytes, length);
    }

    private static void write(OutputStream stream, byte[] data) throws IOException {
        try (stream) {
            stream.write(data);
        }
    }
}
