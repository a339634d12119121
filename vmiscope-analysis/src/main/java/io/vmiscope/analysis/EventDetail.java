package io.vmiscope.analysis;

/**
 * One stored event whole: its row and, for imported events, the original log line or record (capped by the
 * importer). Both are guest- or log-controlled text.
 *
 * @param event    the event
 * @param original the imported original, or {@code null} for live events
 */
public record EventDetail(EventRow event, String original) {
}
