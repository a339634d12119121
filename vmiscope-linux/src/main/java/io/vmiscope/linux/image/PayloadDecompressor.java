package io.vmiscope.linux.image;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStream;
import io.vmiscope.linux.symbols.ProfileException;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.lz4.BlockLZ4CompressorInputStream;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.SingleXZInputStream;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Decompresses a bzImage payload into memory with a hard cap on the output size. Every failure of the
 * compression libraries (checked or not) becomes a one-line {@link ProfileException}. Stateless.
 *
 * <p>Trailing bytes after the compressed stream are ignored: the kernel build appends the
 * decompressed size as a u32 ({@code scripts/Makefile.lib}, {@code size_append}).
 */
final class PayloadDecompressor {

    /** LZ4 legacy frame: each block decodes to at most 8 MiB ({@code lib/decompress_unlz4.c}). */
    private static final int LZ4_LEGACY_BLOCK_BYTES = 8 << 20;
    private static final int LZ4_LEGACY_MAGIC = 0x184c2102;
    /** LZ4_COMPRESSBOUND(8 MiB): the largest compressed block of a legacy frame. */
    private static final int LZ4_MAX_COMPRESSED_BLOCK = LZ4_LEGACY_BLOCK_BYTES + LZ4_LEGACY_BLOCK_BYTES / 255 + 16;
    /** Decoder memory for xz and lzma dictionaries (the kernel uses at most 32 MiB). */
    private static final int DICTIONARY_LIMIT_KIB = 256 * 1024;
    private static final int CHUNK = 1 << 16;

    private PayloadDecompressor() {
    }

    /**
     * @param compression    the payload's format
     * @param payload        compressed bytes from index 0 to the limit
     * @param maxOutputBytes cap on the decompressed size; exceeding it is an error
     * @param source         name for messages
     * @return the decompressed bytes, a little-endian buffer from index 0 to its limit
     */
    static ByteBuffer decompress(Compression compression, ByteBuffer payload, int maxOutputBytes, String source) {
        Sink sink = new Sink(maxOutputBytes, compression, source);
        try {
            switch (compression) {
                case GZIP -> sink.drain(new GzipCompressorInputStream(stream(payload)));
                case BZIP2 -> sink.drain(new BZip2CompressorInputStream(stream(payload), false));
                case XZ -> sink.drain(new SingleXZInputStream(stream(payload), DICTIONARY_LIMIT_KIB));
                case LZMA -> sink.drain(new LZMAInputStream(stream(payload), DICTIONARY_LIMIT_KIB));
                case ZSTD -> zstd(payload, sink);
                case LZ4_LEGACY -> lz4Legacy(payload, sink, source);
            }
        } catch (ProfileException e) {
            throw e;
        } catch (EOFException e) {
            throw new ProfileException(source + ": truncated " + compression + " payload after "
                    + sink.size + " output bytes", e);
        } catch (IOException | RuntimeException e) {
            throw new ProfileException(source + ": corrupt " + compression + " payload after " + sink.size
                    + " output bytes: " + oneLine(e), e);
        }
        return sink.result();
    }

    private static void zstd(ByteBuffer payload, Sink sink) throws IOException {
        byte[] src = new byte[payload.limit()];
        payload.get(0, src);
        // One frame only: what follows it (the appended size) is not a zstd frame.
        long frameBytes = Zstd.findFrameCompressedSize(src);
        if (frameBytes <= 0 || frameBytes > src.length) {
            throw new EOFException("zstd frame extends past the payload");
        }
        sink.drain(new ZstdInputStream(new ByteArrayInputStream(src, 0, (int) frameBytes)));
    }

    private static void lz4Legacy(ByteBuffer payload, Sink sink, String source) throws IOException {
        ByteBuffer in = payload.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int length = in.limit();
        int pos = 4;
        int block = 0;
        while (pos < length) {
            int left = length - pos;
            if (left < 4) {
                throw lz4(source, "truncated", block, left + " byte(s) left where a 4-byte block size belongs");
            }
            long size = Integer.toUnsignedLong(in.getInt(pos));
            if (size == LZ4_LEGACY_MAGIC) {
                pos += 4; // a concatenated legacy frame
                continue;
            }
            if (left == 4 && size == sink.size) {
                break; // the decompressed size the kernel build appends
            }
            if (size == 0 || size > LZ4_MAX_COMPRESSED_BLOCK) {
                throw lz4(source, "corrupt", block, "block size " + size + " outside 1.." + LZ4_MAX_COMPRESSED_BLOCK);
            }
            if (size > left - 4) {
                throw lz4(source, "truncated", block, "block of " + size + " bytes, " + (left - 4) + " left");
            }
            int before = sink.size;
            try {
                sink.drain(new BlockLZ4CompressorInputStream(stream(in.slice(pos + 4, (int) size))),
                        LZ4_LEGACY_BLOCK_BYTES);
            } catch (ProfileException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new ProfileException(source + ": corrupt LZ4 payload at block " + block + ": " + oneLine(e), e);
            }
            if (sink.size - before > LZ4_LEGACY_BLOCK_BYTES) {
                throw lz4(source, "corrupt", block, "block decodes to more than " + LZ4_LEGACY_BLOCK_BYTES + " bytes");
            }
            pos += 4 + (int) size;
            block++;
        }
        if (block == 0) {
            throw lz4(source, "truncated", 0, "no blocks");
        }
    }

    private static ProfileException lz4(String source, String kind, int block, String detail) {
        return new ProfileException(source + ": " + kind + " LZ4 payload at block " + block + ": " + detail);
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }

    private static InputStream stream(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate().clear();
        return new InputStream() {
            @Override
            public int read() {
                return view.hasRemaining() ? view.get() & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                if (!view.hasRemaining()) {
                    return -1;
                }
                int n = Math.min(len, view.remaining());
                view.get(b, off, n);
                return n;
            }

            @Override
            public int available() {
                return view.remaining();
            }
        };
    }

    /** A growing output array that refuses to exceed its cap. */
    private static final class Sink {
        private final int maxBytes;
        private final Compression compression;
        private final String source;
        private byte[] data;
        private int size;

        Sink(int maxBytes, Compression compression, String source) {
            this.maxBytes = maxBytes;
            this.compression = compression;
            this.source = source;
            this.data = new byte[Math.min(1 << 20, maxBytes)];
        }

        void drain(InputStream in) throws IOException {
            drain(in, Integer.MAX_VALUE);
        }

        /**
         * Reads to the end of {@code in}, or stops once more than {@code streamLimit} bytes came;
         * closes {@code in} (zstd holds native memory).
         */
        void drain(InputStream in, int streamLimit) throws IOException {
            try (in) {
                copy(in, streamLimit);
            }
        }

        private void copy(InputStream in, int streamLimit) throws IOException {
            long fromThisStream = 0;
            while (fromThisStream <= streamLimit) {
                if (size == data.length && !grow(in)) {
                    return;
                }
                int n = in.read(data, size, Math.min(CHUNK, data.length - size));
                if (n < 0) {
                    return;
                }
                size += n;
                fromThisStream += n;
            }
        }

        /** Makes room for more output; false when the stream ended exactly at the cap. */
        private boolean grow(InputStream in) throws IOException {
            if (size >= maxBytes) {
                if (in.read() < 0) {
                    return false;
                }
                throw new ProfileException(source + ": " + compression + " payload decompresses to more than "
                        + maxBytes + " bytes (the cap)");
            }
            data = Arrays.copyOf(data, (int) Math.min((long) data.length * 2, maxBytes));
            return true;
        }

        ByteBuffer result() {
            return ByteBuffer.wrap(data, 0, size).slice().order(ByteOrder.LITTLE_ENDIAN);
        }
    }
}
