package io.vmiscope.linux.image;

import io.vmiscope.linux.symbols.ProfileException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An x86 {@code bzImage} ({@code vmlinuz}): the real-mode setup header and the compressed payload it
 * points to. Immutable and thread-safe; the file buffer is not copied and must not change.
 *
 * <p>Layout (Documentation/arch/x86/boot.rst, "The Real-Mode Kernel Header"):
 * <pre>
 *   0x1f1  u8   setup_sects     512-byte setup sectors after the boot sector (0 means 4)
 *   0x202  u32  header          "HdrS"
 *   0x206  u16  version         boot protocol, e.g. 0x020f = 2.15
 *   0x248  u32  payload_offset  from the start of the protected-mode code   (protocol 2.08+)
 *   0x24c  u32  payload_length
 *   protected-mode code starts at (setup_sects + 1) * 512
 * </pre>
 */
public final class BzImage {

    /** Largest decompressed payload accepted by {@link #decompress()}: 512 MiB. */
    public static final int MAX_DECOMPRESSED_BYTES = 512 << 20;

    private static final int SETUP_SECTS = 0x1f1;
    private static final int HEADER = 0x202;
    private static final int VERSION = 0x206;
    private static final int PAYLOAD_OFFSET = 0x248;
    private static final int PAYLOAD_LENGTH = 0x24c;
    private static final int HDRS = 0x53726448; // "HdrS" read as u32 LE
    private static final int MIN_VERSION_WITH_PAYLOAD = 0x0208;

    private final String source;
    private final ByteBuffer file;
    private final int setupSectors;
    private final int protocolVersion;
    private final long payloadOffset;
    private final long payloadLength;
    private final Compression compression;

    private BzImage(String source, ByteBuffer file, int setupSectors, int protocolVersion,
                    long payloadOffset, long payloadLength, Compression compression) {
        this.source = source;
        this.file = file;
        this.setupSectors = setupSectors;
        this.protocolVersion = protocolVersion;
        this.payloadOffset = payloadOffset;
        this.payloadLength = payloadLength;
        this.compression = compression;
    }

    /** Whether the buffer carries the {@code "HdrS"} setup header signature at 0x202. */
    public static boolean hasSetupHeader(ByteBuffer data) {
        return data.limit() >= HEADER + 4 && data.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(HEADER) == HDRS;
    }

    /**
     * Reads the setup header and locates the payload.
     *
     * @param data   the whole file from index 0 to its limit
     * @param source a name for messages, usually the file name
     * @throws ProfileException when there is no setup header, the protocol predates
     *                          {@code payload_offset}, the payload lies outside the file, or its
     *                          compression is unknown
     */
    public static BzImage parse(ByteBuffer data, String source) {
        ByteBuffer buf = data.duplicate().clear().order(ByteOrder.LITTLE_ENDIAN);
        if (!hasSetupHeader(buf)) {
            throw new ProfileException(source + ": no \"HdrS\" setup header at 0x202, not a bzImage");
        }
        if (buf.limit() < PAYLOAD_LENGTH + 4) {
            throw new ProfileException(source + ": truncated setup header (" + buf.limit() + " bytes)");
        }
        int version = Short.toUnsignedInt(buf.getShort(VERSION));
        if (version < MIN_VERSION_WITH_PAYLOAD) {
            throw new ProfileException(source + ": boot protocol " + versionString(version)
                    + " predates payload_offset (2.08)");
        }
        int sectors = Byte.toUnsignedInt(buf.get(SETUP_SECTS));
        if (sectors == 0) {
            sectors = 4;
        }
        long protectedMode = (sectors + 1L) * 512;
        long offset = protectedMode + Integer.toUnsignedLong(buf.getInt(PAYLOAD_OFFSET));
        long length = Integer.toUnsignedLong(buf.getInt(PAYLOAD_LENGTH));
        if (length == 0) {
            throw new ProfileException(source + ": setup header declares an empty payload");
        }
        if (offset + length > buf.limit()) {
            throw new ProfileException(source + ": truncated: payload at 0x" + Long.toHexString(offset) + " + 0x"
                    + Long.toHexString(length) + " bytes extends past the end of the file (0x"
                    + Long.toHexString(buf.limit()) + " bytes)");
        }
        ByteBuffer payload = buf.slice((int) offset, (int) length);
        Compression compression = Compression.detect(payload).orElseThrow(() -> new ProfileException(source
                + ": unknown payload compression (magic " + hex(payload, 6) + ")"));
        return new BzImage(source, buf, sectors, version, offset, length, compression);
    }

    /** Setup sectors after the boot sector (after replacing the legacy 0 by 4). */
    public int setupSectors() {
        return setupSectors;
    }

    /** Boot protocol version, e.g. {@code 0x020f}. */
    public int protocolVersion() {
        return protocolVersion;
    }

    /** Boot protocol version as text, e.g. {@code "2.15"}. */
    public String protocolVersionString() {
        return versionString(protocolVersion);
    }

    /** Offset of the payload from the start of the file, in bytes. */
    public long payloadFileOffset() {
        return payloadOffset;
    }

    /** Length of the compressed payload in bytes. */
    public long payloadLengthBytes() {
        return payloadLength;
    }

    /** The payload's compression, recognised by its magic. */
    public Compression compression() {
        return compression;
    }

    /** The compressed payload: a read-only view, position 0. */
    public ByteBuffer payload() {
        return file.slice((int) payloadOffset, (int) payloadLength).asReadOnlyBuffer();
    }

    /**
     * Decompresses the payload (normally an ELF {@code vmlinux}, possibly followed by relocation data)
     * into a new heap buffer, at most {@link #MAX_DECOMPRESSED_BYTES}.
     *
     * @return little-endian buffer holding exactly the decompressed bytes, position 0
     * @throws ProfileException when the payload is truncated, corrupt or decompresses past the cap
     */
    public ByteBuffer decompress() {
        return decompress(MAX_DECOMPRESSED_BYTES);
    }

    /** As {@link #decompress()} with a caller-chosen cap in bytes. */
    public ByteBuffer decompress(int maxOutputBytes) {
        return PayloadDecompressor.decompress(compression, payload(), maxOutputBytes, source);
    }

    private static String versionString(int version) {
        return (version >> 8) + "." + String.format("%02d", version & 0xff);
    }

    private static String hex(ByteBuffer data, int max) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(max, data.limit()); i++) {
            text.append(i == 0 ? "" : " ").append(String.format("%02x", data.get(i)));
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return "bzImage protocol " + versionString(protocolVersion) + ", " + compression + " payload of "
                + payloadLength + " bytes at 0x" + Long.toHexString(payloadOffset);
    }
}
