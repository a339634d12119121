package io.vmiscope.guest;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writing and removing what guest builds keep in the cache, so that a failed or interrupted build
 * never leaves a file that looks finished. Stateless and thread-safe.
 */
final class CacheFiles {

    /** Writes the content of a cache file. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private CacheFiles() {
    }

    /**
     * Writes {@code target} through {@code TARGET.partial} and an atomic rename: {@code target} either
     * is complete or does not exist. The partial file is removed on failure.
     *
     * @throws UncheckedIOException when writing fails
     */
    static void writeAtomically(Path target, Content content) {
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try {
            Files.createDirectories(target.getParent());
            try (OutputStream out = Files.newOutputStream(partial)) {
                content.writeTo(out);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                System.err.println("vmiscope: cannot remove " + partial + ": " + e.getMessage());
            }
        }
    }

    /**
     * Deletes {@code dir} and everything below it; nothing when it does not exist. Symbolic links are
     * deleted, never followed.
     *
     * @throws IOException when an entry cannot be deleted (the rest of the tree may remain)
     */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            Files.delete(p);
        }
    }
}
