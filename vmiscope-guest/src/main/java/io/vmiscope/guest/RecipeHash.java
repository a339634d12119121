package io.vmiscope.guest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The cache key of a built guest: a SHA-256 over everything that goes into it, in order. Texts are
 * followed by a NUL so that {@code "ab","c"} and {@code "a","bc"} differ. Not thread-safe; one per build.
 */
final class RecipeHash {

    private final MessageDigest sha;

    RecipeHash() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    RecipeHash text(String text) {
        sha.update(text.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        return this;
    }

    RecipeHash bytes(byte[] content) {
        sha.update(content);
        return this;
    }

    /** The first 8 bytes of the digest in hex: 16 characters for a directory name. */
    String hex() {
        return HexFormat.of().formatHex(sha.digest(), 0, 8);
    }
}
