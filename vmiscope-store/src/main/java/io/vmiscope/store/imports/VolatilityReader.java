package io.vmiscope.store.imports;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.ProcessSnapshotEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reads a Volatility 3 process list — {@code linux.pslist}, {@code linux.pstree} or {@code windows.pslist} —
 * written by its JSON renderer (one list of row objects keyed by column name; tree plugins nest rows under
 * {@code "__children"}) or its JSONL renderer (one row per line; a line may hold several). The format is
 * detected from the first non-blank line: a line starting with <code>{</code> means JSONL.
 *
 * <p>The whole file becomes <b>one</b> {@link ProcessSnapshotEvent} (on the first line it holds) with the rows
 * flattened: PID, TID, PPID, UID, GID, COMM or ImageFileName; {@code CREATION TIME} / {@code CreateTime} as the
 * entry's start time (ISO-8601, UTC when no offset is given; unreadable values give 0); a Windows row with an
 * {@code ExitTime} gets state {@code 'X'} (exited), every other row {@code '?'}. The snapshot's time is the
 * newest creation time, else the file's modification time (then {@link ImportItem.Parsed#timeInferred()}); its
 * action is {@code "volatility:" + plugin}, the plugin guessed from the columns (ImageFileName → windows,
 * COMM → linux; nested {@code __children} → pstree, else pslist). Every pid is "appeared"; the snapshot is
 * incomplete when a row was rejected or a limit was reached. Its lines count as folded into it.
 *
 * <p>Rejected, each with its line: for JSONL, each bad line as a whole (anything on it that is not a complete
 * row object, a row of the wrong shape), and each line beyond {@link ImportLimits#maxSnapshotEntries()} rows or
 * {@link ImportLimits#maxDocumentChars()} characters; for JSON, a document that is malformed, too long, not a
 * list or followed by anything gives one rejection (where it failed) for all its lines and no snapshot, and a bad
 * row a rejection on the line it starts ({@code "row 3: …"}). Immutable and thread-safe; each stream is
 * single-threaded.
 */
public final class VolatilityReader implements LogReader {

    private static final String CHILDREN = "__children";
    private static final int MAX_TIME_CHARS = 64;

    private final ImportLimits limits;
    private final JsonValues json;

    /** A reader with {@link ImportLimits#DEFAULTS}. */
    public VolatilityReader() {
        this(ImportLimits.DEFAULTS);
    }

    public VolatilityReader(ImportLimits limits) {
        this.limits = limits;
        this.json = new JsonValues(limits, false);
    }

    @Override
    public Stream<ImportItem> read(Path file, String vm) {
        // Lines as long as a whole document: a JSON document may be one line. JSONL lines are checked against
        // the line limit here.
        LineSource lines = new LineSource(file, limits.maxDocumentChars());
        return ItemStreams.of(new Session(file, vm, lines), lines);
    }

    /** One file being read: JSONL line by line, or the JSON document at once. */
    private final class Session implements ItemStreams.Step {

        private final Path path;
        private final String file;
        private final String vm;
        private final LineSource lines;
        private final LineTally tally = new LineTally();
        private final Snapshot snapshot = new Snapshot();
        private boolean started;

        Session(Path path, String vm, LineSource lines) {
            this.path = path;
            this.file = path.toString();
            this.vm = vm;
            this.lines = lines;
        }

        @Override
        public boolean fill(Deque<ImportItem> out) {
            LineSource.Line line = lines.next();
            if (!started) {
                while (line != null && line.blank()) {
                    tally.blank();
                    line = lines.next();
                }
                started = true;
                if (line == null) {
                    out.add(new ImportItem.Rejected(file, 1, "empty file: no Volatility output"));
                    return end(out);
                }
                if (line.tooLong() || !line.text().strip().startsWith("{")) {
                    document(line, out);
                    return end(out);
                }
            }
            if (line == null) {
                if (snapshot.firstLine > 0) {
                    out.add(snapshot.event(path, vm));
                    tally.snapshot();
                    if (snapshot.timeInferred) {
                        tally.timesInferred(1);
                    }
                }
                return end(out);
            }
            jsonlLine(line, out);
            return true;
        }

        private boolean end(Deque<ImportItem> out) {
            out.add(tally.finish(file, lines.linesRead()));
            return false;
        }

        private void jsonlLine(LineSource.Line line, Deque<ImportItem> out) {
            if (line.blank()) {
                tally.blank();
                return;
            }
            try {
                if (line.tooLong() || line.lengthChars() > limits.maxLineChars()) {
                    throw new RecordException("line longer than " + limits.maxLineChars() + " characters ("
                            + line.lengthChars() + ")");
                }
                List<JsonValues.Value> rows = json.objects(line.text());
                List<Rows> found = new ArrayList<>(rows.size());
                for (JsonValues.Value row : rows) {
                    try {
                        found.add(rows(row.node()));
                    } catch (RecordException e) {
                        throw rows.size() == 1 ? e : new RecordException("column " + row.column() + ": "
                                + e.getMessage());
                    }
                }
                snapshot.checkRoomFor(found, line.text());
                found.forEach(snapshot::add);
                snapshot.appendRaw(line.text(), line.number());
                tally.folded();
            } catch (RecordException e) {
                snapshot.complete = false;
                tally.rejected();
                out.add(new ImportItem.Rejected(file, line.number(), e.getMessage()));
            }
        }

        /** The JSON document starting at {@code first}: every line of the file to its end. */
        private void document(LineSource.Line first, Deque<ImportItem> out) {
            // Line n of the text is line n of the file, so that the parser's lines are the file's.
            StringBuilder text = new StringBuilder("\n".repeat((int) Math.min(first.number() - 1,
                    limits.maxDocumentChars())));
            long nonBlank = 0;
            boolean tooLong = false;
            for (LineSource.Line line = first; line != null; line = lines.next()) {
                if (line.blank()) {
                    tally.blank();
                } else {
                    nonBlank++;
                }
                tooLong |= line.tooLong() || text.length() + 1L + line.text().length() > limits.maxDocumentChars();
                if (!tooLong) {
                    text.append(line == first ? "" : "\n").append(line.text());
                }
            }
            if (tooLong) {
                rejectDocument(out, 1, "document longer than " + limits.maxDocumentChars() + " characters", nonBlank);
                return;
            }
            String document = text.toString();
            List<JsonValues.Value> rows;
            try {
                rows = json.elementsOfOneList(document);
            } catch (RecordException e) {
                rejectDocument(out, e.lineInText(), "not a Volatility JSON document: " + e.getMessage(), nonBlank);
                return;
            }
            Set<Integer> rejectedLines = new HashSet<>();
            int index = 0;
            for (JsonValues.Value row : rows) {
                index++;
                try {
                    Rows found = rows(row.node());
                    snapshot.checkRoomFor(List.of(found), "");
                    snapshot.add(found);
                } catch (RecordException e) {
                    snapshot.complete = false;
                    rejectedLines.add(row.line());
                    out.add(new ImportItem.Rejected(file, row.line(), "row " + index + ": " + e.getMessage()));
                }
            }
            for (int i = 0; i < rejectedLines.size(); i++) {
                tally.rejected();
            }
            for (long i = rejectedLines.size(); i < nonBlank; i++) {
                tally.folded();
            }
            snapshot.appendRaw(document.strip(), first.number());
            out.add(snapshot.event(path, vm));
            tally.snapshot();
            if (snapshot.timeInferred) {
                tally.timesInferred(1);
            }
        }

        private void rejectDocument(Deque<ImportItem> out, long line, String reason, long nonBlankLines) {
            out.add(new ImportItem.Rejected(file, line, RecordException.oneLine(reason)));
            for (long i = 0; i < nonBlankLines; i++) {
                tally.rejected();
            }
        }
    }

    /** The process entries of one row and the rows nested under it, and whether any were nested. */
    private record Rows(List<ProcessSnapshotEvent.Entry> entries, boolean nested, boolean windows, boolean linux) {
    }

    /**
     * A row and the rows nested under it (depth first, in document order), all checked.
     *
     * @throws RecordException when any of them is not a process row
     */
    private Rows rows(JsonNode top) {
        List<ProcessSnapshotEvent.Entry> found = new ArrayList<>();
        boolean nested = false;
        boolean windows = false;
        boolean linux = false;
        Deque<Iterator<JsonNode>> stack = new ArrayDeque<>();
        stack.push(List.of(top).iterator());
        while (!stack.isEmpty()) {
            Iterator<JsonNode> level = stack.peek();
            if (!level.hasNext()) {
                stack.pop();
                continue;
            }
            JsonNode row = level.next();
            if (!row.isObject()) {
                throw new RecordException(row == top ? "not a JSON object" : "a nested row is not a JSON object");
            }
            found.add(entry(row));
            windows |= row.has("ImageFileName");
            linux |= row.has("COMM");
            JsonNode children = row.get(CHILDREN);
            if (children != null && !children.isNull()) {
                if (!children.isArray()) {
                    throw new RecordException(CHILDREN + " is not a list");
                }
                nested |= !children.isEmpty();
                stack.push(children.iterator());
            }
            if (found.size() > limits.maxSnapshotEntries()) {
                throw new RecordException("more than " + limits.maxSnapshotEntries() + " processes");
            }
        }
        return new Rows(found, nested, windows, linux);
    }

    private static ProcessSnapshotEvent.Entry entry(JsonNode row) {
        if (!Fields.present(row, "PID")) {
            throw new RecordException("row without PID");
        }
        String name = row.has("COMM") ? Fields.text(row, "COMM") : Fields.text(row, "ImageFileName");
        JsonNode created = row.has("CREATION TIME") ? row.get("CREATION TIME") : row.get("CreateTime");
        char state = epochNanos(row.get("ExitTime")) > 0 ? 'X' : '?';
        return new ProcessSnapshotEvent.Entry(Fields.int32(row, "PID", -1), Fields.int32(row, "TID", -1),
                Fields.int32(row, "PPID", -1), Fields.integer(row, "UID").orElse(-1),
                Fields.integer(row, "GID").orElse(-1), name, List.of(), state, false, epochNanos(created));
    }

    /** The snapshot being gathered from the rows. */
    private final class Snapshot {

        final List<ProcessSnapshotEvent.Entry> entries = new ArrayList<>();
        final StringBuilder raw = new StringBuilder();
        long firstLine;
        boolean complete = true;
        boolean windows;
        boolean linux;
        boolean tree;
        boolean timeInferred;

        /** @throws RecordException when the rows, or {@code text} beside the raw text so far, would not fit */
        void checkRoomFor(List<Rows> rows, String text) {
            long more = rows.stream().mapToLong(r -> r.entries().size()).sum();
            if (entries.size() + more > limits.maxSnapshotEntries()
                    || raw.length() + 1L + text.length() > limits.maxDocumentChars()) {
                throw new RecordException("more than " + limits.maxSnapshotEntries() + " processes or "
                        + limits.maxDocumentChars() + " characters in one snapshot");
            }
        }

        void add(Rows rows) {
            entries.addAll(rows.entries());
            tree |= rows.nested();
            windows |= rows.windows();
            linux |= rows.linux();
        }

        void appendRaw(String text, long line) {
            if (firstLine == 0) {
                firstLine = line;
            }
            if (!raw.isEmpty()) {
                raw.append('\n');
            }
            raw.append(text);
        }

        ImportItem event(Path path, String vm) {
            long newest = entries.stream().mapToLong(ProcessSnapshotEvent.Entry::startTimeNanos).max().orElse(0);
            timeInferred = newest <= 0;
            long time = timeInferred ? modified(path) : newest;
            String os = windows ? "windows." : linux ? "linux." : "";
            String action = "volatility:" + os + (tree ? "pstree" : "pslist");
            List<Integer> pids = entries.stream().map(ProcessSnapshotEvent.Entry::pid).toList();
            ProcessSnapshotEvent event = new ProcessSnapshotEvent(time, vm, action, ProcessRef.NONE, entries, pids,
                    List.of(), complete, false);
            return new ImportItem.Parsed(event, path.toString(), firstLine, 0, raw.toString(), timeInferred);
        }
    }

    /**
     * A Volatility time column as nanoseconds since the epoch: ISO-8601 with or without an offset (without
     * one, or with the text renderer's {@code " UTC"}, it is UTC). Absent or unreadable values give 0.
     */
    static long epochNanos(JsonNode value) {
        if (value == null || !value.isTextual() || value.textValue().length() > MAX_TIME_CHARS) {
            return 0;
        }
        String s = value.textValue().strip();
        if (s.endsWith(" UTC")) {
            s = s.substring(0, s.length() - 4);
        }
        s = s.replaceFirst(" ", "T");
        Instant instant;
        try {
            instant = OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                instant = LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException unreadable) {
                return 0;
            }
        }
        try {
            return Math.max(0, Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L),
                    instant.getNano()));
        } catch (ArithmeticException outOfRange) {
            return 0;
        }
    }

    private static long modified(Path path) {
        try {
            return Files.getLastModifiedTime(path).to(TimeUnit.NANOSECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the modification time of " + path + ": " + e.getMessage(), e);
        }
    }
}
