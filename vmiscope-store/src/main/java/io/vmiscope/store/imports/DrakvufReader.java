package io.vmiscope.store.imports;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmiscope.events.Event;
import io.vmiscope.events.ProcessSnapshotEvent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Reads DRAKVUF's {@code drakmon.log}: JSON lines and the default text format, detected per line
 * ({@code {…}} or {@code [PLUGIN] …}). Accepts the variants of different DRAKVUF versions: {@code TimeStamp}
 * or {@code Time}; {@code UserName} with {@code UserId}, {@code UID} or {@code SessionID}; {@code Ret} as a
 * number or hex string; records without a time (apimon's {@code dll_discovered}/{@code dll_loaded}).
 *
 * <p>A line may hold several JSON records; each is read as if on a line of its own, its events numbered on
 * from the previous record's ({@link ImportItem.Parsed#ordinal()}).
 *
 * <p>Times: a record without one takes the previous record's time. Records before the first time of the file
 * are held (at most {@link ImportLimits#maxWaitingRecords()}) until a record with a time names their PID — as its
 * own PID or as the process it creates (NewPid) — and take its time; those still waiting when the file ends
 * (or when too many wait) take the first time of the file, and time 0 when the file has none. Every such event
 * is marked {@link ImportItem.Parsed#timeInferred()}, and counted in {@link LineCounts}. So the DLL records that
 * apimon prints before the first timestamp belong to their process's lifetime, not to 1970.
 *
 * <table>
 *   <caption>What each record becomes (action {@code "drakvuf:" + plugin}; process from PID, TID, PPID,
 *   UserId and ProcessName)</caption>
 *   <tr><th>plugin</th><th>method / fields</th><th>events</th></tr>
 *   <tr><td>syscall</td><td>any</td><td>{@code SyscallEvent}: name from Method (Syscall when that is a name),
 *       number from a numeric Syscall, the remaining fields as arguments in order</td></tr>
 *   <tr><td>sysret</td><td>any</td><td>{@code SyscallEvent} without arguments, result = Ret as text</td></tr>
 *   <tr><td>procmon</td><td>{@code RunningProcess} (the start-up list)</td><td>one {@code ProcessSnapshotEvent}
 *       per run of consecutive such lines</td></tr>
 *   <tr><td>procmon</td><td>NtCreateUserProcess</td><td>{@code ForkEvent} (creator → NewPid) and {@code ExecEvent}
 *       (NewPid: ImagePathName, [CommandLine]); a failed Status gives an {@code ImportedEvent}</td></tr>
 *   <tr><td>procmon</td><td>NtTerminateProcess</td><td>{@code ExitEvent} for ExitPid, code ExitStatus</td></tr>
 *   <tr><td>procmon</td><td>a method containing "exec" (do_execveat_common)</td><td>{@code ExecEvent}</td></tr>
 *   <tr><td>procmon</td><td>do_exit</td><td>{@code ExitEvent} (thread when TID ≠ PID)</td></tr>
 *   <tr><td>procmon</td><td>kernel_clone</td><td>{@code ForkEvent} to NewPid (a thread under CLONE_THREAD)</td></tr>
 *   <tr><td>filetracer</td><td>any</td><td>{@code FileEvent}: Operation (else Method), FileName</td></tr>
 *   <tr><td>socketmon</td><td>any</td><td>{@code NetworkEvent} of Owner/OwnerPID when given: DnsName, else
 *       RemoteIp:RemotePort, else LocalIp:LocalPort</td></tr>
 *   <tr><td>anything else</td><td></td><td>{@code ImportedEvent("drakvuf", plugin, method, every field)}</td></tr>
 * </table>
 *
 * <p>Rejected as a whole, each with its line number, while every other line is still imported: lines longer
 * than {@link ImportLimits#maxLineChars()}, lines that are neither JSON objects nor a text record, lines with
 * anything after a record that is not a complete record (the column is named), records without a string
 * {@code Plugin}, fields of the wrong type. Each line is counted ({@link LineCounts}): the start-up list's lines
 * as folded into its snapshot. Immutable and thread-safe; each stream is single-threaded.
 */
public final class DrakvufReader implements LogReader {

    /** The fields that name a process a timed record is about: its own, and the one it creates. */
    private static final List<String> PIDS = List.of("PID", "NewPid");

    private final ImportLimits limits;
    private final JsonValues json;
    private final DrakvufMapper mapper;

    /** A reader with {@link ImportLimits#DEFAULTS}. */
    public DrakvufReader() {
        this(ImportLimits.DEFAULTS);
    }

    public DrakvufReader(ImportLimits limits) {
        this.limits = limits;
        this.json = new JsonValues(limits, true);
        this.mapper = new DrakvufMapper(json.mapper());
    }

    @Override
    public Stream<ImportItem> read(Path file, String vm) {
        LineSource lines = new LineSource(file, limits.maxLineChars());
        return ItemStreams.of(new Session(file.toString(), vm, lines), lines);
    }

    /**
     * One record of a line, checked: its start-up list entry, or its events at the time known when it was read
     * (time 0 while none is known: they are mapped again once a time is found).
     *
     * @param ownTime the record's own time, or {@code null}
     * @param ordinal the position of its first event among the events of its line
     */
    private record Record(JsonNode fields, String plugin, String raw, Long ownTime, ProcessSnapshotEvent.Entry entry,
                          List<Event> events, int ordinal) {

        boolean runningProcess() {
            return entry != null;
        }
    }

    /** Something that waits for a time: a record's events, or a start-up list. */
    @FunctionalInterface
    private interface Timeless {
        List<ImportItem.Parsed> at(long timeNanos);
    }

    /** Reading state of one stream: the times seen, the start-up list being gathered, what waits for a time. */
    private final class Session implements ItemStreams.Step {

        private final String file;
        private final String vm;
        private final LineSource lines;
        private final LineTally tally = new LineTally();
        private final WaitingForTime<Timeless> waiting;
        private boolean timeKnown;
        private long firstTimeNanos;
        private long lastTimeNanos;
        private StartupList startup;

        Session(String file, String vm, LineSource lines) {
            this.file = file;
            this.vm = vm;
            this.lines = lines;
            this.waiting = new WaitingForTime<>(limits.maxWaitingRecords(), limits.maxDocumentChars());
        }

        @Override
        public boolean fill(Deque<ImportItem> out) {
            LineSource.Line line = lines.next();
            if (line == null) {
                endStartupList(out);
                release(waiting.takeAll(), out);
                out.add(tally.finish(file, lines.linesRead()));
                return false;
            }
            if (line.tooLong()) {
                endStartupList(out);
                tally.rejected();
                out.add(new ImportItem.Rejected(file, line.number(), "line longer than " + limits.maxLineChars()
                        + " characters (" + line.lengthChars() + ")"));
                return true;
            }
            if (line.blank()) {
                tally.blank();
                return true;
            }
            List<Record> records;
            try {
                records = records(line.text());
            } catch (RecordException e) {
                endStartupList(out);
                tally.rejected();
                out.add(new ImportItem.Rejected(file, line.number(), e.getMessage()));
                return true;
            }
            if (records.stream().allMatch(Record::runningProcess)) {
                tally.folded();
            } else {
                tally.gaveEvents();
            }
            for (Record r : records) {
                take(r, line, out);
            }
            return true;
        }

        /** Every record of the line, checked, or a {@link RecordException} for the whole line. */
        private List<Record> records(String text) {
            String t = text.strip();
            List<JsonNode> nodes = new ArrayList<>(1);
            List<String> raws = new ArrayList<>(1);
            List<Integer> columns = new ArrayList<>(1);
            if (t.startsWith("{")) {
                for (JsonValues.Value v : json.objects(text)) {
                    nodes.add(v.node());
                    raws.add(v.text(text));
                    columns.add(v.column());
                }
            } else if (t.startsWith("[")) {
                nodes.add(DrakvufText.parse(t));
                raws.add(text);
                columns.add(1);
            } else {
                throw new RecordException("neither a JSON object nor a DRAKVUF text record");
            }
            List<Record> records = new ArrayList<>(nodes.size());
            boolean known = timeKnown;
            long time = lastTimeNanos;
            int ordinal = 0;
            for (int i = 0; i < nodes.size(); i++) {
                try {
                    JsonNode r = nodes.get(i);
                    String plugin = plugin(r);
                    Long own = ownTime(r);
                    if (own != null) {
                        known = true;
                        time = own;
                    }
                    if (r.has("RunningProcess")) {
                        records.add(new Record(r, plugin, raws.get(i), own, startupEntry(r), null, ordinal++));
                    } else {
                        List<Event> events = mapper.map(r, plugin, known ? time : 0, vm);
                        records.add(new Record(r, plugin, raws.get(i), own, null, known ? events : null, ordinal));
                        ordinal += events.size();
                    }
                } catch (RecordException e) {
                    throw nodes.size() == 1 ? e : new RecordException("column " + columns.get(i) + ": " + e.getMessage());
                }
            }
            return records;
        }

        /** Adds a checked record's events (or start-up list entry) to the output, or holds it for a time. */
        private void take(Record r, LineSource.Line line, Deque<ImportItem> out) {
            if (!r.runningProcess()) {
                endStartupList(out);
            }
            if (r.ownTime() != null) {
                timeFound(r.ownTime(), r.fields(), out);
            }
            if (r.runningProcess()) {
                addToStartupList(r, line, out);
            } else if (r.events() == null) {
                Timeless events = t -> parsed(mapper.map(r.fields(), r.plugin(), t, vm), line.number(), r.ordinal(),
                        r.raw(), true);
                release(waiting.hold(Fields.int32(r.fields(), "PID", -1), r.raw().length(), events), out);
            } else {
                if (r.ownTime() == null) {
                    tally.timesInferred(r.events().size());
                }
                out.addAll(parsed(r.events(), line.number(), r.ordinal(), r.raw(), r.ownTime() == null));
            }
        }

        /**
         * A record with a time of its own: the first one gives its time to what waits without a pid; each gives
         * its time to what waits for its PID or for the process it creates (NewPid).
         */
        private void timeFound(long time, JsonNode record, Deque<ImportItem> out) {
            if (!timeKnown) {
                timeKnown = true;
                firstTimeNanos = time;
                release(waiting.takeWithoutPid(), time, out);
            }
            lastTimeNanos = time;
            if (waiting.isEmpty()) {
                return;
            }
            for (String key : PIDS) {
                OptionalLong pid = Fields.lenientInteger(record, key);
                if (pid.isPresent() && pid.getAsLong() >= 0 && pid.getAsLong() <= Integer.MAX_VALUE) {
                    release(waiting.take((int) pid.getAsLong()), time, out);
                }
            }
        }

        /** What no longer waits, at the first time of the file, or at 0 while there is none. */
        private void release(List<Timeless> done, Deque<ImportItem> out) {
            if (timeKnown) {
                release(done, firstTimeNanos, out);
                return;
            }
            for (Timeless t : done) {
                List<ImportItem.Parsed> items = t.at(0);
                tally.timesUnknown(items.size());
                out.addAll(items);
            }
        }

        private void release(List<Timeless> done, long time, Deque<ImportItem> out) {
            for (Timeless t : done) {
                List<ImportItem.Parsed> items = t.at(time);
                tally.timesInferred(items.size());
                out.addAll(items);
            }
        }

        private List<ImportItem.Parsed> parsed(List<Event> events, long line, int ordinal, String raw,
                                               boolean timeInferred) {
            List<ImportItem.Parsed> items = new ArrayList<>(events.size());
            for (Event e : events) {
                items.add(new ImportItem.Parsed(e, file, line, ordinal + items.size(), raw, timeInferred));
            }
            return items;
        }

        private void addToStartupList(Record r, LineSource.Line line, Deque<ImportItem> out) {
            boolean cut = startup != null && !startup.fits(r.raw());
            if (cut) {
                startup.cut();
                endStartupList(out);
            }
            if (startup == null) {
                startup = new StartupList(limits, line.number(), r.ordinal(), cut);
            }
            startup.add(r.entry(), r.raw(), timeKnown ? lastTimeNanos : null, r.ownTime() != null);
        }

        private void endStartupList(Deque<ImportItem> out) {
            if (startup == null) {
                return;
            }
            StartupList list = startup;
            startup = null;
            tally.snapshot();
            if (list.timeKnown()) {
                if (list.timeInferred()) {
                    tally.timesInferred(1);
                }
                out.add(list.snapshot(file, vm, list.timeNanos(), list.timeInferred()));
            } else {
                release(waiting.hold(-1, list.rawChars(), t -> List.of(list.snapshot(file, vm, t, true))), out);
            }
        }
    }

    private static String plugin(JsonNode record) {
        JsonNode plugin = record.get("Plugin");
        if (plugin == null) {
            throw new RecordException("no Plugin field");
        }
        if (!plugin.isTextual() || plugin.textValue().isBlank()) {
            throw new RecordException("Plugin is not a plugin name");
        }
        return plugin.textValue();
    }

    /** The record's own time ({@code TimeStamp}, or {@code Time} in older logs), or {@code null}. */
    private static Long ownTime(JsonNode record) {
        String key = record.has("TimeStamp") ? "TimeStamp" : "Time";
        return Fields.present(record, key) ? Fields.epochNanos(record.get(key), key) : null;
    }

    private static ProcessSnapshotEvent.Entry startupEntry(JsonNode record) {
        return new ProcessSnapshotEvent.Entry(Fields.int32(record, "PID", -1), -1, Fields.int32(record, "PPID", -1),
                -1, -1, Fields.text(record, "RunningProcess"), List.of(), '?', false, 0);
    }
}
