package io.vmiscope.store.imports;

/** One record is unusable; its message becomes the {@link ImportItem.Rejected} reason. Never leaves the package. */
final class RecordException extends RuntimeException {

    private static final int MAX_REASON_CHARS = 300;

    RecordException(String reason) {
        super(oneLine(reason), null, false, false);
    }

    /** {@code text} on one line, whitespace runs folded, capped so that hostile text cannot bloat a reason. */
    static String oneLine(String text) {
        String flat = String.valueOf(text).replaceAll("\\s+", " ").strip();
        return flat.length() <= MAX_REASON_CHARS ? flat : flat.substring(0, MAX_REASON_CHARS) + "…";
    }
}
