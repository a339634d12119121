package io.vmiscope.linux.walk;

import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns guest bytes into strings safely: stops at NUL, never reads past the buffer, replaces
 * malformed UTF-8 with U+FFFD. The result is plain text; callers must still render it only as text.
 */
public final class GuestStrings {

    private GuestStrings() {
    }

    /** The NUL-terminated string at the start of {@code bytes[offset, offset+max)}. */
    public static String cString(byte[] bytes, int offset, int max) {
        int end = offset;
        int limit = Math.min(bytes.length, offset + max);
        while (end < limit && bytes[end] != 0) {
            end++;
        }
        return decode(bytes, offset, end - offset);
    }

    /**
     * Splits a NUL-separated argument vector; a missing final NUL keeps the last argument. Trailing
     * empty arguments are dropped: they are the NUL padding that programs like busybox init leave
     * after rewriting their argv (procps shows them the same way).
     */
    public static List<String> argv(byte[] bytes, int length) {
        List<String> args = new ArrayList<>();
        int start = 0;
        int limit = Math.min(length, bytes.length);
        for (int i = 0; i < limit; i++) {
            if (bytes[i] == 0) {
                args.add(decode(bytes, start, i - start));
                start = i + 1;
            }
        }
        if (start < limit) {
            args.add(decode(bytes, start, limit - start));
        }
        while (!args.isEmpty() && args.get(args.size() - 1).isEmpty()) {
            args.remove(args.size() - 1);
        }
        return args;
    }

    private static String decode(byte[] bytes, int offset, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            return decoder.decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException("REPLACE decoder cannot fail", e);
        }
    }
}
