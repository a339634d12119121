package io.vmiscope.store.imports;

import io.vmiscope.events.Event;

/**
 * What a reader found in an input file: events, the reasons lines were not imported, and at the end what
 * became of every line. A line may give several events (a DRAKVUF process creation gives a fork and an exec;
 * a line may hold several records); several lines may give one (a DRAKVUF start-up process list, a Volatility
 * process list). Immutable.
 */
public sealed interface ImportItem {

    /**
     * An event read from the input.
     *
     * @param event        the event, in the one canonical shape
     * @param file         the input file, as given to {@link LogReader#read}
     * @param line         the 1-based line the record starts on
     * @param ordinal      the event's position (0, 1, …) among the events of that line: with the line, it tells
     *                     the events of one file apart
     * @param rawRecord    the original record as text (the JSON record, the text line, the lines of a process
     *                     list), kept by the store
     * @param timeInferred the record had no time of its own: the event's time was taken from other records
     */
    record Parsed(Event event, String file, long line, int ordinal, String rawRecord, boolean timeInferred)
            implements ImportItem {
    }

    /**
     * A line (or a record of several lines) that could not be imported; the lines around it still are.
     *
     * @param file   the input file, as given to {@link LogReader#read}
     * @param line   the 1-based line
     * @param reason one line saying what is wrong
     */
    record Rejected(String file, long line, String reason) implements ImportItem {
    }

    /**
     * The last item of a file: what became of each of its lines.
     *
     * @param file  the input file, as given to {@link LogReader#read}
     * @param lines the file's lines, each counted once
     */
    record FileRead(String file, LineCounts lines) implements ImportItem {
    }
}
