package io.vmiscope.events;

/** Guest- or log-controlled text made fit for a one-line message: whitespace runs folded, length capped. */
public final class OneLine {

    private OneLine() {
    }

    /** {@code text} on one line, at most {@code maxChars} characters and an ellipsis; "null" for null. */
    public static String of(String text, int maxChars) {
        String flat = String.valueOf(text).replaceAll("\\s+", " ").strip();
        return flat.length() <= maxChars ? flat : flat.substring(0, maxChars) + "…";
    }
}
