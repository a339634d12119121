package io.vmiscope.store.imports;

import io.vmiscope.events.OneLine;

/** One record is unusable; its message becomes the {@link ImportItem.Rejected} reason. Never leaves the package. */
final class RecordException extends RuntimeException {

    private static final int MAX_REASON_CHARS = 300;

    RecordException(String reason) {
        super(oneLine(reason), null, false, false);
    }

    /** {@code text} on one line, capped so that hostile text cannot bloat a reason. */
    static String oneLine(String text) {
        return OneLine.of(text, MAX_REASON_CHARS);
    }
}
