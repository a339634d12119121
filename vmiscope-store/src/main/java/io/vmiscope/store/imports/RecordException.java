package io.vmiscope.store.imports;

import io.vmiscope.events.OneLine;

/** One record is unusable; its message becomes the {@link ImportItem.Rejected} reason. Never leaves the package. */
final class RecordException extends RuntimeException {

    private static final int MAX_REASON_CHARS = 300;

    private final int lineInText;

    RecordException(String reason) {
        this(1, reason);
    }

    /** A failure on line {@code lineInText} (1-based) of a text of several lines, such as a JSON document. */
    RecordException(int lineInText, String reason) {
        super(oneLine(reason), null, false, false);
        this.lineInText = lineInText;
    }

    /** The 1-based line, within the text that was read, where the record failed; 1 for a text of one line. */
    int lineInText() {
        return lineInText;
    }

    /** {@code text} on one line, capped so that hostile text cannot bloat a reason. */
    static String oneLine(String text) {
        return OneLine.of(text, MAX_REASON_CHARS);
    }
}
