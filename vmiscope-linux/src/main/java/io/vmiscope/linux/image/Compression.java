package io.vmiscope.linux.image;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The compression formats the Linux x86 build can use for a bzImage payload, recognised by their
 * leading magic bytes ({@code arch/x86/boot/compressed/Makefile}: {@code vmlinux.bin.<suffix>}).
 */
public enum Compression {
    /** gzip ({@code 1f 8b}), a single member. */
    GZIP("gzip"),
    /** bzip2 ({@code "BZh"} and a block-size digit). */
    BZIP2("bzip2"),
    /** legacy {@code .lzma} ("LZMA alone": properties byte {@code 0x5d}, dictionary size, length). */
    LZMA("lzma"),
    /** xz ({@code fd "7zXZ" 00}), a single stream. */
    XZ("xz"),
    /** LZ4 legacy frame ({@code 02 21 4c 18}, then blocks of [u32 LE compressed size][LZ4 block]). */
    LZ4_LEGACY("lz4-legacy"),
    /** zstd ({@code 28 b5 2f fd}), a single frame. */
    ZSTD("zstd");

    private final String label;

    Compression(String label) {
        this.label = label;
    }

    /** Short lower-case name for messages, e.g. {@code "lz4-legacy"}. */
    public String label() {
        return label;
    }

    /** The format whose magic starts the buffer (from index 0), or empty when none matches. */
    public static Optional<Compression> detect(ByteBuffer data) {
        if (startsWith(data, 0x1f, 0x8b)) {
            return Optional.of(GZIP);
        }
        if (startsWith(data, 'B', 'Z', 'h') && data.limit() >= 4 && data.get(3) >= '1' && data.get(3) <= '9') {
            return Optional.of(BZIP2);
        }
        if (startsWith(data, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
            return Optional.of(XZ);
        }
        if (startsWith(data, 0x02, 0x21, 0x4c, 0x18)) {
            return Optional.of(LZ4_LEGACY);
        }
        if (startsWith(data, 0x28, 0xb5, 0x2f, 0xfd)) {
            return Optional.of(ZSTD);
        }
        // The .lzma header has no magic: lzma(1) writes properties 0x5d (lc=3, lp=0, pb=2) followed by
        // the dictionary size as u32 LE, a multiple of 64 KiB for every preset, so its low bytes are 0.
        if (startsWith(data, 0x5d, 0x00, 0x00)) {
            return Optional.of(LZMA);
        }
        return Optional.empty();
    }

    private static boolean startsWith(ByteBuffer data, int... magic) {
        if (data.limit() < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((data.get(i) & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return label;
    }
}
