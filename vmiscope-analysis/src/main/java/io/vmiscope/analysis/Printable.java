package io.vmiscope.analysis;

/**
 * Guest- or log-controlled text made fit for one line of a table, as the browser UI shows any guest text:
 * control characters as {@code \xNN}, invisible or reordering ones (bidi overrides, zero-width, line
 * separators) as {@code \\uNNNN}, capped at a length with an ellipsis.
 */
final class Printable {

    private Printable() {
    }

    /**
     * {@code text} with control and invisible characters escaped, cut before the piece that would make it longer
     * than {@code maxChars} characters (an escape or a surrogate pair is never split), "…" marking the cut.
     */
    static String of(String text, int maxChars) {
        String value = text == null ? "" : text;
        StringBuilder out = new StringBuilder(Math.min(value.length(), maxChars) + 1);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String piece;
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                piece = String.format("\\x%02x", (int) c);
            } else if (invisible(c)) {
                piece = String.format("\\u%04x", (int) c);
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length()) {
                piece = value.substring(i, i + 2);
                i++;
            } else {
                piece = String.valueOf(c);
            }
            if (out.length() + piece.length() > maxChars) {
                return out.append('…').toString();
            }
            out.append(piece);
        }
        return out.toString();
    }

    private static boolean invisible(char c) {
        return (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
                || c == 0xfeff;
    }
}
