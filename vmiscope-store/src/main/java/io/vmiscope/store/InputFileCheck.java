package io.vmiscope.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Whether a file can be imported: it exists, is a regular file (not a directory, FIFO or device, which would
 * block or never end) and can be read — checked for every file before anything is imported. Stateless; depends
 * on nothing but the JDK.
 */
final class InputFileCheck {

    /** S_IFMT and the file types of stat(2) that are not regular files or directories. */
    private static final int TYPE_MASK = 0170000;
    private static final int FIFO = 0010000;
    private static final int CHARACTER_DEVICE = 0020000;
    private static final int BLOCK_DEVICE = 0060000;
    private static final int SOCKET = 0140000;

    private InputFileCheck() {
    }

    /**
     * @throws UncheckedIOException with one line, {@code "FILE: why"}, when {@code file} cannot be imported
     */
    static void check(Path file) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw unusable(file, reason(e), e);
        }
        if (attributes.isDirectory()) {
            throw unusable(file, "is a directory", null);
        }
        if (!attributes.isRegularFile()) {
            throw unusable(file, "not a regular file but " + type(file), null);
        }
        try (FileChannel channel = FileChannel.open(file)) {
            channel.read(ByteBuffer.allocate(1));
        } catch (IOException e) {
            throw unusable(file, "cannot be read: " + reason(e), e);
        }
    }

    private static String type(Path file) {
        try {
            return switch ((Integer) Files.getAttribute(file, "unix:mode") & TYPE_MASK) {
                case FIFO -> "a FIFO";
                case CHARACTER_DEVICE -> "a character device";
                case BLOCK_DEVICE -> "a block device";
                case SOCKET -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a special file";
        }
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return String.valueOf(e.getMessage());
    }

    private static UncheckedIOException unusable(Path file, String why, IOException cause) {
        String message = file + ": " + why;
        return new UncheckedIOException(message, cause == null ? new IOException(message) : cause);
    }
}
