package io.vmiscope.detect.sigma;

import java.util.Arrays;
import java.util.Locale;

/**
 * One vmiscope event as Sigma sees it: its logsource and the values of the fields of {@link SigmaField}. Reused
 * from event to event by one detector (no allocation per event beyond the values themselves); lower-case copies
 * for case-insensitive matching are made once per field and event, when a rule first asks. Not thread-safe.
 */
final class SigmaEvent {

    private static final SigmaField[] FIELDS = SigmaField.values();

    private final String[] values = new String[FIELDS.length];
    private final String[] lower = new String[FIELDS.length];
    private Logsource logsource;
    private String eventId;

    /** Empties the view for the next event. */
    void reset(Logsource source, String id) {
        Arrays.fill(values, null);
        Arrays.fill(lower, null);
        this.logsource = source;
        this.eventId = id;
    }

    void set(SigmaField field, String value) {
        values[field.ordinal()] = value;
    }

    Logsource logsource() {
        return logsource;
    }

    String eventId() {
        return eventId;
    }

    /** The field's value, or {@code null} when this event has none. */
    String value(SigmaField field) {
        return values[field.ordinal()];
    }

    /** The value in lower case (ROOT locale), or {@code null}. */
    String lowerValue(SigmaField field) {
        int i = field.ordinal();
        String l = lower[i];
        if (l == null && values[i] != null) {
            l = values[i].toLowerCase(Locale.ROOT);
            lower[i] = l;
        }
        return l;
    }
}
