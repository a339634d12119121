package io.vmiscope.linux.profile;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Opens a file transparently decompressing gzip, xz or bzip2 (chosen by magic bytes, not by name), and
 * caps how many decompressed bytes may be read so a small hostile file cannot expand without bound.
 */
final class CompressedInput {

    private static final int SNIFF_BYTES = 64;
    /** Read-ahead allowance while sniffing: buffering decompresses more than the bytes looked at. */
    private static final long SNIFF_LIMIT_BYTES = 1 << 20;

    private CompressedInput() {
    }

    /**
     * The file's decompressed content; the caller closes it. Reading past {@code maxBytes} throws an
     * {@link IOException} naming the limit.
     */
    static InputStream open(Path file, long maxBytes) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            raw.mark(8);
            byte[] magic = raw.readNBytes(6);
            raw.reset();
            InputStream decoded;
            if (startsWith(magic, 0x1f, 0x8b)) {
                decoded = new GZIPInputStream(raw, 1 << 16);
            } else if (startsWith(magic, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
                decoded = new XZInputStream(raw);
            } else if (startsWith(magic, 'B', 'Z', 'h')) {
                decoded = new BZip2CompressorInputStream(raw);
            } else {
                decoded = raw;
            }
            return new BufferedInputStream(new Capped(decoded, maxBytes), 1 << 16);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /**
     * Whether the (decompressed) file starts like a JSON object: optional UTF-8 byte-order mark and
     * whitespace, then {@code '{'}. False for unreadable or undecodable files.
     */
    static boolean looksLikeJsonObject(Path file) {
        try (InputStream in = open(file, SNIFF_LIMIT_BYTES)) {
            byte[] head = in.readNBytes(SNIFF_BYTES);
            int i = startsWith(head, 0xef, 0xbb, 0xbf) ? 3 : 0;
            while (i < head.length && Character.isWhitespace(head[i])) {
                i++;
            }
            return i < head.length && head[i] == '{';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean startsWith(byte[] data, int... prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((data[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Fails once more than a fixed number of bytes has been read. */
    private static final class Capped extends FilterInputStream {
        private final long maxBytes;
        private long readBytes;

        Capped(InputStream in, long maxBytes) {
            super(in);
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            readBytes += n;
            if (readBytes > maxBytes) {
                throw new IOException("content exceeds " + maxBytes + " bytes");
            }
        }
    }
}
