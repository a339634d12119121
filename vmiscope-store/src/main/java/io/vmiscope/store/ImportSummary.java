package io.vmiscope.store;

/**
 * What an import did (so far, when handed to {@link Importer.Listener#committed}).
 *
 * @param linesRead  input lines (records) that gave an event or a rejection; blank lines are not counted
 * @param imported   events stored as new rows
 * @param duplicates events already in the store (a re-run of the same import), skipped
 * @param rejected   lines that could not be imported
 */
public record ImportSummary(long linesRead, long imported, long duplicates, long rejected) {

    /** Events now known to be in the store from this import: new and already present. */
    public long committed() {
        return imported + duplicates;
    }

    /** One line for people. */
    public String describe() {
        return linesRead + " lines read: " + imported + " events imported, " + duplicates
                + " duplicates skipped, " + rejected + " lines rejected";
    }
}
