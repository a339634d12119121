package io.vmiscope.store.imports;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.ProcessSnapshotEvent;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reads a Volatility 3 process list — {@code linux.pslist}, {@code linux.pstree} or {@code windows.pslist} —
 * written by its JSON renderer (one list of row objects keyed by column name; tree plugins nest rows under
 * {@code "__children"}) or its JSONL renderer (one row per line). The format is detected from the first
 * non-blank line: a line starting with <code>{</code> means JSONL.
 *
 * <p>The whole file becomes <b>one</b> {@link ProcessSnapshotEvent} (line 1) with the rows flattened:
 * PID, TID, PPID, UID, GID, COMM or ImageFileName; {@code CREATION TIME} / {@code CreateTime} as the entry's
 * start time (ISO-8601, UTC when no offset is given; unreadable values give 0); a Windows row with an
 * {@code ExitTime} gets state {@code 'X'} (exited), every other row {@code '?'}. The snapshot's time is the
 * newest creation time, else the file's modification time; its action is {@code "volatility:" + plugin},
 * the plugin guessed from the columns (ImageFileName → windows, COMM → linux; nested {@code __children} →
 * pstree, else pslist). Every pid is "appeared"; the snapshot is incomplete when a row was rejected or a
 * limit was reached.
 *
 * <p>Rejected: for JSONL, each bad line (with its number); for JSON, a malformed or oversized document gives
 * one rejection for the file and no snapshot, a bad row one rejection ({@code "row 3: …"}, line 1). Immutable
 * and thread-safe; each stream is single-threaded.
 */
public final class VolatilityReader implements LogReader {

    private static final String CHILDREN = "__children";
    private static final int MAX_TIME_CHARS = 64;

    private final ImportLimits limits;
    private final ObjectMapper json;

    /** A reader with {@link ImportLimits#DEFAULTS}. */
    public VolatilityReader() {
        this(ImportLimits.DEFAULTS);
    }

    public VolatilityReader(ImportLimits limits) {
        this.limits = limits;
        JsonFactory factory = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxNestingDepth()).build()).build();
        this.json = new ObjectMapper(factory);
    }

    @Override
    public Stream<ImportItem> read(Path file, String vm) {
        Session session = new Session(file, vm);
        return ItemStreams.of(session, session);
    }

    /** One file being read: JSONL line by line, or the JSON document at once. */
    private final class Session implements ItemStreams.Step, Closeable {

        private final Path path;
        private final String file;
        private final String vm;
        private final LineSource lines;
        private final Snapshot snapshot = new Snapshot();
        private boolean started;

        Session(Path path, String vm) {
            this.path = path;
            this.file = path.toString();
            this.vm = vm;
            this.lines = new LineSource(path, limits.maxLineChars());
        }

        @Override
        public boolean fill(Deque<ImportItem> out) {
            LineSource.Line line = lines.next();
            while (line != null && line.blank()) {
                line = lines.next();
            }
            if (!started) {
                started = true;
                if (line == null) {
                    out.add(new ImportItem.Rejected(file, 1, "empty file: no Volatility output"));
                    return false;
                }
                if (line.tooLong() || !line.text().strip().startsWith("{")) {
                    document(out);
                    return false;
                }
            }
            if (line == null) {
                out.add(snapshot.event(path, vm, 1));
                return false;
            }
            jsonlLine(line, out);
            return true;
        }

        private void jsonlLine(LineSource.Line line, Deque<ImportItem> out) {
            if (line.tooLong()) {
                snapshot.complete = false;
                out.add(new ImportItem.Rejected(file, line.number(), "line longer than " + limits.maxLineChars()
                        + " characters (" + line.lengthChars() + ")"));
                return;
            }
            try {
                JsonNode row = parse(line.text());
                if (!row.isObject()) {
                    throw new RecordException("not a JSON object");
                }
                if (!snapshot.fits(line.text())) {
                    snapshot.cut(out, file, line.number());
                    return;
                }
                snapshot.addRows(row);
                snapshot.appendRaw(line.text());
            } catch (RecordException e) {
                snapshot.complete = false;
                out.add(new ImportItem.Rejected(file, line.number(), e.getMessage()));
            }
        }

        private void document(Deque<ImportItem> out) {
            String text;
            try (Reader in = new InputStreamReader(Files.newInputStream(path), StandardCharsets.UTF_8)) {
                text = readBounded(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            if (text == null) {
                out.add(new ImportItem.Rejected(file, 1, "document longer than " + limits.maxDocumentChars()
                        + " characters"));
                return;
            }
            JsonNode rows;
            try {
                rows = parse(text);
            } catch (RecordException e) {
                out.add(new ImportItem.Rejected(file, 1, e.getMessage()));
                return;
            }
            if (!rows.isArray()) {
                out.add(new ImportItem.Rejected(file, 1, "not a Volatility JSON document: expected a list of rows"));
                return;
            }
            int index = 0;
            for (JsonNode row : rows) {
                index++;
                try {
                    if (!row.isObject()) {
                        throw new RecordException("not a JSON object");
                    }
                    if (snapshot.entries.size() >= limits.maxSnapshotEntries()) {
                        snapshot.cut(out, file, 1);
                        break;
                    }
                    snapshot.addRows(row);
                } catch (RecordException e) {
                    snapshot.complete = false;
                    out.add(new ImportItem.Rejected(file, 1, "row " + index + ": " + e.getMessage()));
                }
            }
            snapshot.appendRaw(text);
            out.add(snapshot.event(path, vm, 1));
        }

        /** The whole document, or {@code null} when it is longer than the limit. */
        private String readBounded(Reader in) throws IOException {
            StringBuilder text = new StringBuilder();
            char[] buffer = new char[16 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (text.length() + n > limits.maxDocumentChars()) {
                    return null;
                }
                text.append(buffer, 0, n);
            }
            return text.toString();
        }

        private JsonNode parse(String text) {
            try {
                JsonNode node = json.readTree(text);
                if (node == null) {
                    throw new RecordException("no JSON value");
                }
                return node;
            } catch (JsonProcessingException e) {
                throw new RecordException("not JSON: " + e.getOriginalMessage());
            } catch (NumberFormatException e) {
                throw new RecordException("not JSON: a number out of range");
            }
        }

        @Override
        public void close() {
            lines.close();
        }
    }

    /** The snapshot being gathered from the rows. */
    private final class Snapshot {

        final List<ProcessSnapshotEvent.Entry> entries = new ArrayList<>();
        final StringBuilder raw = new StringBuilder();
        boolean complete = true;
        boolean windows;
        boolean linux;
        boolean tree;
        boolean limitReported;

        boolean fits(String line) {
            return entries.size() < limits.maxSnapshotEntries()
                    && raw.length() + 1L + line.length() <= limits.maxDocumentChars();
        }

        void cut(Deque<ImportItem> out, String file, long line) {
            complete = false;
            if (!limitReported) {
                limitReported = true;
                out.add(new ImportItem.Rejected(file, line, "more than " + limits.maxSnapshotEntries()
                        + " processes or " + limits.maxDocumentChars() + " characters: the rest is not imported"));
            }
        }

        void appendRaw(String text) {
            if (!raw.isEmpty()) {
                raw.append('\n');
            }
            raw.append(text);
        }

        /**
         * Adds a row and the rows nested under it (depth first, in document order). All of the row's entries
         * are checked before any is added, so a bad row adds nothing.
         */
        void addRows(JsonNode top) {
            List<ProcessSnapshotEvent.Entry> found = new ArrayList<>();
            boolean nested = false;
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
                    throw new RecordException("a nested row is not a JSON object");
                }
                found.add(entry(row));
                JsonNode children = row.get(CHILDREN);
                if (children != null && !children.isNull()) {
                    if (!children.isArray()) {
                        throw new RecordException(CHILDREN + " is not a list");
                    }
                    nested |= !children.isEmpty();
                    stack.push(children.iterator());
                }
            }
            if (entries.size() + found.size() > limits.maxSnapshotEntries()) {
                throw new RecordException("more than " + limits.maxSnapshotEntries() + " processes");
            }
            entries.addAll(found);
            tree |= nested;
        }

        private ProcessSnapshotEvent.Entry entry(JsonNode row) {
            if (!Fields.present(row, "PID")) {
                throw new RecordException("row without PID");
            }
            windows |= row.has("ImageFileName");
            linux |= row.has("COMM");
            String name = row.has("COMM") ? Fields.text(row, "COMM") : Fields.text(row, "ImageFileName");
            JsonNode created = row.has("CREATION TIME") ? row.get("CREATION TIME") : row.get("CreateTime");
            char state = epochNanos(row.get("ExitTime")) > 0 ? 'X' : '?';
            return new ProcessSnapshotEvent.Entry(Fields.int32(row, "PID", -1), Fields.int32(row, "TID", -1),
                    Fields.int32(row, "PPID", -1), Fields.integer(row, "UID").orElse(-1),
                    Fields.integer(row, "GID").orElse(-1), name, List.of(), state, false, epochNanos(created));
        }

        ImportItem event(Path path, String vm, long line) {
            long newest = entries.stream().mapToLong(ProcessSnapshotEvent.Entry::startTimeNanos).max().orElse(0);
            long time = newest > 0 ? newest : modified(path);
            String os = windows ? "windows." : linux ? "linux." : "";
            String action = "volatility:" + os + (tree ? "pstree" : "pslist");
            List<Integer> pids = entries.stream().map(ProcessSnapshotEvent.Entry::pid).toList();
            ProcessSnapshotEvent event = new ProcessSnapshotEvent(time, vm, action, ProcessRef.NONE, entries, pids,
                    List.of(), complete, false);
            return new ImportItem.Parsed(event, path.toString(), line, raw.toString());
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
