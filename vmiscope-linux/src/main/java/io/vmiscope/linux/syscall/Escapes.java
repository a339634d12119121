package io.vmiscope.linux.syscall;

/**
 * Renders guest text and bytes as one safe line: quotes, backslashes and control characters are
 * escaped, so a hostile file name cannot break a log line, fake a second event or reorder the display
 * (Unicode format characters such as U+202E RIGHT-TO-LEFT OVERRIDE are escaped too).
 */
final class Escapes {

    private Escapes() {
    }

    /** {@code "text"} in double quotes, escaped. */
    static String quote(String text) {
        return "\"" + escape(text) + "\"";
    }

    /** Escapes decoded text; printable characters, including non-ASCII letters and U+FFFD, stay as they are. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(c -> {
            String shortEscape = shortEscape(c);
            int type = Character.getType(c);
            if (shortEscape != null) {
                out.append(shortEscape);
            } else if (c < 0x100 && Character.isISOControl(c)) {
                out.append(String.format("\\x%02x", c));
            } else if (type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.PRIVATE_USE
                    || type == Character.UNASSIGNED || type == Character.SURROGATE) {
                out.append(String.format("\\u{%04x}", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** {@code "bytes"} in double quotes: printable ASCII as is, everything else escaped ({@code \xNN}). */
    static String quoteBytes(byte[] bytes, int length) {
        StringBuilder out = new StringBuilder(length + 8).append('"');
        for (int i = 0; i < length; i++) {
            int b = bytes[i] & 0xff;
            String shortEscape = shortEscape(b);
            if (shortEscape != null) {
                out.append(shortEscape);
            } else if (b >= 0x20 && b < 0x7f) {
                out.append((char) b);
            } else {
                out.append(String.format("\\x%02x", b));
            }
        }
        return out.append('"').toString();
    }

    /** The C-style escape of a quote, a backslash, NUL, newline, return or tab; null for any other character. */
    private static String shortEscape(int c) {
        return switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case 0 -> "\\0";
            default -> null;
        };
    }
}
