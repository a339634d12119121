package io.vmiscope.store.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmiscope.events.Event;
import io.vmiscope.events.EventJson;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads vmiscope's own JSON lines back into events, in either of its two shapes:
 * <ul>
 *   <li>the event line of docs/events.md ({@code vmiscope monitor --out}): header keys, then the kind's fields;</li>
 *   <li>the store's row ({@code vmiscope export --format jsonl}): the columns of the {@code events} table, the
 *       kind's fields inside {@code fields} — recognised by {@code time_ns} and a {@code fields} object where the
 *       event line has {@code time}.</li>
 * </ul>
 * A line may hold several records; each is one event ({@link EventJson#fromTree}). Each event is attributed to
 * the {@code vm} given to {@link #read}; the name the record carried stays in its raw text. An event marked
 * {@code "timeInferred": true} (an imported record whose time was inferred) keeps the mark.
 *
 * <p>Rejected with their number, as a whole: lines longer than {@link ImportLimits#maxLineChars()}, lines with
 * anything that is not a complete JSON object, lines with a record {@code EventJson} refuses. Blank lines are
 * counted as such. Immutable and thread-safe; each stream is single-threaded.
 */
public final class VmiscopeJsonlReader implements LogReader {

    private static final String TIME_INFERRED = "timeInferred";

    private final ImportLimits limits;
    private final JsonValues json;

    /** A reader with {@link ImportLimits#DEFAULTS}. */
    public VmiscopeJsonlReader() {
        this(ImportLimits.DEFAULTS);
    }

    public VmiscopeJsonlReader(ImportLimits limits) {
        this.limits = limits;
        this.json = new JsonValues(limits, false);
    }

    @Override
    public Stream<ImportItem> read(Path file, String vm) {
        String name = file.toString();
        LineSource lines = new LineSource(file, limits.maxLineChars());
        LineTally tally = new LineTally();
        return ItemStreams.of(out -> {
            LineSource.Line line = lines.next();
            if (line == null) {
                out.add(tally.finish(name, lines.linesRead()));
                return false;
            }
            if (line.tooLong()) {
                tally.rejected();
                out.add(new ImportItem.Rejected(name, line.number(), "line longer than " + limits.maxLineChars()
                        + " characters (" + line.lengthChars() + ")"));
            } else if (line.blank()) {
                tally.blank();
            } else {
                try {
                    List<ImportItem.Parsed> parsed = parse(line, name, vm);
                    tally.gaveEvents();
                    out.addAll(parsed);
                } catch (RecordException e) {
                    tally.rejected();
                    out.add(new ImportItem.Rejected(name, line.number(), e.getMessage()));
                }
            }
            return true;
        }, lines);
    }

    /** Every record of the line as an event, or a {@link RecordException} for the whole line. */
    private List<ImportItem.Parsed> parse(LineSource.Line line, String file, String vm) {
        List<JsonValues.Value> records = json.objects(line.text());
        List<ImportItem.Parsed> parsed = new ArrayList<>(records.size());
        for (JsonValues.Value record : records) {
            ObjectNode node = event((ObjectNode) record.node());
            boolean inferred = timeInferred(node, record, records.size());
            node.put("vm", vm);
            Event event;
            try {
                event = EventJson.fromTree(node);
            } catch (IllegalArgumentException e) {
                throw new RecordException(where(record, records.size()) + e.getMessage());
            }
            parsed.add(new ImportItem.Parsed(event, file, line.number(), parsed.size(), record.text(line.text()),
                    inferred));
        }
        return parsed;
    }

    /** The record as an event line: a store row's columns and fields are put into that shape. */
    private static ObjectNode event(ObjectNode record) {
        return StoredRowJson.isRow(record) ? StoredRowJson.eventLine(record) : record;
    }

    private static boolean timeInferred(ObjectNode event, JsonValues.Value record, int records) {
        JsonNode mark = event.get(TIME_INFERRED);
        if (mark == null) {
            return false;
        }
        if (!mark.isBoolean()) {
            throw new RecordException(where(record, records) + "field '" + TIME_INFERRED + "' is not a boolean");
        }
        return mark.booleanValue();
    }

    /** Names the record's column when the line holds several. */
    private static String where(JsonValues.Value record, int records) {
        return records > 1 ? "column " + record.column() + ": " : "";
    }
}
