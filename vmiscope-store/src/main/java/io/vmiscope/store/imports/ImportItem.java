package io.vmiscope.store.imports;

import io.vmiscope.events.Event;

/**
 * What one line (or record) of an input file gave: an event, or the reason the line was not imported.
 * A line may give several items (a DRAKVUF process creation gives a fork and an exec); several lines
 * may give one (a DRAKVUF start-up process list, a Volatility document). Immutable.
 */
public sealed interface ImportItem {

    /**
     * An event read from the input.
     *
     * @param event     the event, in the one canonical shape
     * @param file      the input file, as given to {@link LogReader#read}
     * @param line      the 1-based line the record starts on
     * @param rawRecord the original record as text (the JSON line, the text line, or the JSON of one row), kept by
     *                  the store
     */
    record Parsed(Event event, String file, long line, String rawRecord) implements ImportItem {
    }

    /**
     * A line that could not be imported; the lines around it still are.
     *
     * @param file   the input file, as given to {@link LogReader#read}
     * @param line   the 1-based line
     * @param reason one line saying what is wrong
     */
    record Rejected(String file, long line, String reason) implements ImportItem {
    }
}
