package io.vmiscope.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * What an imported file is by its content: the SHA-256 of all its bytes, read once before the file is imported.
 * Imported events take their identity from it (not from the file's name or time), so a renamed, moved, copied
 * or touched file imports as the same events. Also remembers the file's size and modification time, to tell
 * when the file changed while it was being imported. Immutable.
 *
 * @param path        the file as given
 * @param source      the file's absolute path, stored as the events' {@code source}
 * @param sha256      the 32 bytes of the digest
 * @param sha256Hex   the digest in lower-case hex, stored as the events' {@code source_sha256}
 * @param sizeBytes   the file's size when it was read
 * @param modified    the file's modification time when it was read
 */
record FileContent(Path path, String source, byte[] sha256, String sha256Hex, long sizeBytes, FileTime modified) {

    private static final int BUFFER_BYTES = 1 << 20;

    /**
     * Reads the whole file once.
     *
     * @throws UncheckedIOException when it cannot be read
     */
    static FileContent of(Path file) {
        MessageDigest digest = EventIds.newSha256();
        try {
            BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class);
            try (FileChannel channel = FileChannel.open(file)) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
                while (channel.read(buffer) >= 0) {
                    buffer.flip();
                    digest.update(buffer);
                    buffer.clear();
                }
            }
            byte[] sha = digest.digest();
            return new FileContent(file, file.toAbsolutePath().normalize().toString(), sha,
                    HexFormat.of().formatHex(sha), before.size(), before.lastModifiedTime());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @throws UncheckedIOException when the file's size or modification time is no longer what it was when its
     *                              content was read: it changed while it was being imported
     */
    void checkUnchanged() {
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + " again: " + e.getMessage(), e);
        }
        if (now.size() != sizeBytes || !now.lastModifiedTime().equals(modified)) {
            String message = path + " changed while it was imported (" + sizeBytes + " bytes, now " + now.size()
                    + "): the events stored from it so far have source_sha256 '" + sha256Hex + "' — delete them and"
                    + " import it again once nothing writes to it";
            throw new UncheckedIOException(message, new IOException(message));
        }
    }
}
