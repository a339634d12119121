package io.vmiscope.store.imports;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmiscope.events.Event;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.ProcessSnapshotEvent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads DRAKVUF's {@code drakmon.log}: JSON lines and the default text format, detected per line
 * ({@code {…}} or {@code [PLUGIN] …}). Accepts the variants of different DRAKVUF versions: {@code TimeStamp}
 * or {@code Time}; {@code UserName} with {@code UserId}, {@code UID} or {@code SessionID}; {@code Ret} as a
 * number or hex string; records without a time (apimon's {@code dll_discovered}/{@code dll_loaded}), which
 * take the previous record's time (0 before any).
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
 * <p>Rejected, each with its line number, while every other line is still imported: lines longer than
 * {@link ImportLimits#maxLineChars()}, lines that are neither a JSON object nor a text record, records
 * without a string {@code Plugin}, fields of the wrong type. Blank lines are skipped. Immutable and
 * thread-safe; each stream is single-threaded.
 */
public final class DrakvufReader implements LogReader {

    private final ImportLimits limits;
    private final ObjectMapper json;
    private final DrakvufMapper mapper;

    /** A reader with {@link ImportLimits#DEFAULTS}. */
    public DrakvufReader() {
        this(ImportLimits.DEFAULTS);
    }

    public DrakvufReader(ImportLimits limits) {
        this.limits = limits;
        JsonFactory factory = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxNestingDepth()).build()).build();
        this.json = new ObjectMapper(factory).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        this.mapper = new DrakvufMapper(json);
    }

    @Override
    public Stream<ImportItem> read(Path file, String vm) {
        LineSource lines = new LineSource(file, limits.maxLineChars());
        return ItemStreams.of(new Session(file.toString(), vm, lines), lines);
    }

    /** Reading state of one stream: the last time seen and the start-up list being gathered. */
    private final class Session implements ItemStreams.Step {

        private final String file;
        private final String vm;
        private final LineSource lines;
        private long lastTimeNanos;
        private StartupList startup;

        Session(String file, String vm, LineSource lines) {
            this.file = file;
            this.vm = vm;
            this.lines = lines;
        }

        @Override
        public boolean fill(Deque<ImportItem> out) {
            LineSource.Line line = lines.next();
            if (line == null) {
                endStartupList(out);
                return false;
            }
            if (line.tooLong()) {
                endStartupList(out);
                out.add(new ImportItem.Rejected(file, line.number(), "line longer than " + limits.maxLineChars()
                        + " characters (" + line.lengthChars() + ")"));
                return true;
            }
            if (line.blank()) {
                return true;
            }
            try {
                JsonNode record = record(line.text());
                String plugin = plugin(record);
                long time = time(record);
                if (record.has("RunningProcess")) {
                    addToStartupList(record, line, time, out);
                    return true;
                }
                List<Event> events = mapper.map(record, plugin, time, vm);
                endStartupList(out);
                for (Event e : events) {
                    out.add(new ImportItem.Parsed(e, file, line.number(), line.text()));
                }
            } catch (RecordException e) {
                endStartupList(out);
                out.add(new ImportItem.Rejected(file, line.number(), e.getMessage()));
            }
            return true;
        }

        private JsonNode record(String text) {
            String t = text.strip();
            if (t.startsWith("{")) {
                JsonNode node;
                try {
                    node = json.readTree(t);
                } catch (JsonProcessingException e) {
                    throw new RecordException("not JSON: " + e.getOriginalMessage());
                } catch (NumberFormatException e) {
                    throw new RecordException("not JSON: a number out of range");
                }
                if (node == null || !node.isObject()) {
                    throw new RecordException("not a JSON object");
                }
                return node;
            }
            if (t.startsWith("[")) {
                return DrakvufText.parse(t);
            }
            throw new RecordException("neither a JSON object nor a DRAKVUF text record");
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

        private long time(JsonNode record) {
            String key = record.has("TimeStamp") ? "TimeStamp" : "Time";
            if (Fields.present(record, key)) {
                lastTimeNanos = Fields.epochNanos(record.get(key), key);
            }
            return lastTimeNanos;
        }

        private void addToStartupList(JsonNode record, LineSource.Line line, long time, Deque<ImportItem> out) {
            ProcessSnapshotEvent.Entry entry = new ProcessSnapshotEvent.Entry(Fields.int32(record, "PID", -1), -1,
                    Fields.int32(record, "PPID", -1), -1, -1, Fields.text(record, "RunningProcess"), List.of(), '?',
                    false, 0);
            if (startup != null && !startup.fits(line.text())) {
                startup.cut = true;
                endStartupList(out);
                startup = new StartupList(line.number(), time);
                startup.cut = true;
            }
            if (startup == null) {
                startup = new StartupList(line.number(), time);
            }
            startup.add(entry, line.text());
        }

        private void endStartupList(Deque<ImportItem> out) {
            if (startup == null) {
                return;
            }
            List<Integer> pids = startup.entries.stream().map(ProcessSnapshotEvent.Entry::pid).toList();
            ProcessSnapshotEvent snapshot = new ProcessSnapshotEvent(startup.timeNanos, vm,
                    "drakvuf:procmon", ProcessRef.NONE, startup.entries, pids, List.of(), !startup.cut, false);
            out.add(new ImportItem.Parsed(snapshot, file, startup.firstLine, startup.raw.toString()));
            startup = null;
        }
    }

    /** Consecutive {@code RunningProcess} lines, bounded by the snapshot limits. */
    private final class StartupList {

        final long firstLine;
        final long timeNanos;
        final List<ProcessSnapshotEvent.Entry> entries = new ArrayList<>();
        final StringBuilder raw = new StringBuilder();
        boolean cut;

        StartupList(long firstLine, long timeNanos) {
            this.firstLine = firstLine;
            this.timeNanos = timeNanos;
        }

        boolean fits(String line) {
            return entries.size() < limits.maxSnapshotEntries()
                    && raw.length() + 1L + line.length() <= limits.maxDocumentChars();
        }

        void add(ProcessSnapshotEvent.Entry entry, String line) {
            if (!raw.isEmpty()) {
                raw.append('\n');
            }
            raw.append(line);
            entries.add(entry);
        }
    }
}
