package io.vmiscope.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What an event reads as in one row of a table: a short name and a one-line summary built from its fields,
 * for every kind of live event and for every DRAKVUF plugin and Volatility plugin vmiscope imports. The rows
 * of a table are looked up by kind, and {@code imported} records by {@code tool:source} (the DRAKVUF plugin):
 *
 * <table>
 *   <caption>The names and summaries (values in {@code CAPS} are the record's fields)</caption>
 *   <tr><th>kind or plugin</th><th>name</th><th>summary</th></tr>
 *   <tr><td>syscall (live, DRAKVUF syscall, sysret)</td><td>the call</td><td>{@code call(args) = result}, or
 *       {@code call returned RESULT} (sysret)</td></tr>
 *   <tr><td>exec / fork / exit (live, DRAKVUF procmon)</td><td>exec, fork or thread, exit</td><td>path and
 *       command line / the child / exit code or signal</td></tr>
 *   <tr><td>file (live, DRAKVUF filetracer)</td><td>the operation</td><td>path [→ target] [(detail)]</td></tr>
 *   <tr><td>network (live, DRAKVUF socketmon)</td><td>the operation</td><td>address [(call)]</td></tr>
 *   <tr><td>processes (pslist, DRAKVUF's start-up list, Volatility pslist/pstree)</td><td>process list,
 *       running at start, or the Volatility plugin</td><td>how many, what changed, the first names</td></tr>
 *   <tr><td>modules, anomaly, control</td><td>module list, the anomaly, the change</td><td>count and names,
 *       where and detail, reason</td></tr>
 *   <tr><td>drakvuf:apimon</td><td>Method, or Event (dll_loaded…)</td><td>{@code Method(ARGUMENTS) = RETURNVALUE},
 *       or {@code DLLNAME at DLLBASE}</td></tr>
 *   <tr><td>drakvuf:regmon</td><td>Method</td><td>{@code KEY\VALUENAME = VALUE}, the key from {@code HKLM\} or
 *       {@code HKU\}</td></tr>
 *   <tr><td>drakvuf:procmon (not mapped to a kind)</td><td>Method</td><td>IMAGEPATHNAME failed (STATUS), else
 *       its fields</td></tr>
 *   <tr><td>drakvuf:filedelete, fileextractor</td><td>Method or plugin</td><td>FILENAME (SIZE bytes, REASON)</td></tr>
 *   <tr><td>drakvuf:tlsmon</td><td>Method or plugin</td><td>TLS keys for client random …</td></tr>
 *   <tr><td>drakvuf:memdump</td><td>Method</td><td>DUMPREASON: DUMPSIZE bytes at DUMPADDR of pid DUMPPID</td></tr>
 *   <tr><td>drakvuf:procdump</td><td>procdump</td><td>TARGETNAME (pid TARGETPID): DUMPSIZE bytes, DUMPREASON</td></tr>
 *   <tr><td>drakvuf:inject</td><td>Method (CreateProc…)</td><td>started PROCESSNAME ARGUMENTS as pid INJECTEDPID,
 *       or the error</td></tr>
 *   <tr><td>drakvuf:dkommon</td><td>Message</td><td>MESSAGE: pid HIDDENPID</td></tr>
 *   <tr><td>any other</td><td>Method, else the plugin or kind</td><td>its first fields as key=value</td></tr>
 * </table>
 *
 * <p>Neither is ever empty. Both are text only (never HTML), on one line, capped ({@link #MAX_NAME_CHARS},
 * {@link #MAX_SUMMARY_CHARS}), with control characters shown as {@code \xNN} as the browser UI shows them.
 * Stateless and thread-safe.
 */
public final class EventSummaries {

    /** The longest name, in characters. */
    public static final int MAX_NAME_CHARS = 64;

    /** The longest summary, in characters. */
    public static final int MAX_SUMMARY_CHARS = 160;

    /** How many names a process or module list shows. */
    private static final int LISTED_NAMES = 6;

    /** How many fields the summary of an unknown record shows. */
    private static final int GENERIC_FIELDS = 4;

    /** The common header of a DRAKVUF record (docs: FIELD-NOTES), left out of a summary of its own fields. */
    private static final Set<String> DRAKVUF_HEADER = Set.of("Plugin", "TimeStamp", "Time", "PID", "PPID", "TID",
            "UserName", "UserId", "UID", "SessionID", "ProcessName", "Method", "EventUID", "vCPU", "VCPU", "CR3");

    /** The kernel's names of the registry's roots and the abbreviations of regedit and sandbox reports. */
    private static final Map<String, String> HIVES = Map.of("\\REGISTRY\\MACHINE\\", "HKLM\\",
            "\\REGISTRY\\USER\\", "HKU\\");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * An event as a table row shows it.
     *
     * @param name    a short name: the call, operation, method or record type
     * @param summary what it did, on one line
     */
    public record Text(String name, String summary) {
    }

    /** One event as the rules see it: its columns and parsed fields (for imported records, their attributes). */
    private record Row(String kind, String action, String name, JsonNode fields) {

        JsonNode attributes() {
            return fields.path("attributes");
        }

        String method() {
            return text(fields, "method");
        }
    }

    /** The rules for the kinds of the event shape. */
    private static final Map<String, Function<Row, Text>> KINDS = Map.ofEntries(
            Map.entry("syscall", EventSummaries::syscall),
            Map.entry("exec", r -> new Text("exec", join(" — ", text(r.fields, "path"), commandLine(r)))),
            Map.entry("fork", EventSummaries::fork),
            Map.entry("exit", EventSummaries::exit),
            Map.entry("file", r -> new Text(text(r.fields, "operation"), join(" ", text(r.fields, "path"),
                    prefixed("→ ", text(r.fields, "target")), bracketed(text(r.fields, "detail"))))),
            Map.entry("network", EventSummaries::network),
            Map.entry("processes", EventSummaries::processes),
            Map.entry("modules", r -> new Text("module list", listed(r.fields, "modules", "modules"))),
            Map.entry("anomaly", r -> new Text(text(r.fields, "anomaly"), join(": ", text(r.fields, "where"),
                    text(r.fields, "detail")))),
            Map.entry("control", r -> new Text(text(r.fields, "change"), text(r.fields, "reason"))),
            Map.entry("finding", r -> new Text(text(r.fields, "check"), join(": ", text(r.fields, "subject"),
                    text(r.fields, "explanation")))));

    /** The rules for imported records without a kind of their own, by {@code tool:source}. */
    private static final Map<String, Function<Row, Text>> IMPORTED = Map.of(
            "drakvuf:apimon", EventSummaries::apimon,
            "drakvuf:regmon", EventSummaries::regmon,
            "drakvuf:procmon", EventSummaries::procmon,
            "drakvuf:filedelete", EventSummaries::extractedFile,
            "drakvuf:fileextractor", EventSummaries::extractedFile,
            "drakvuf:tlsmon", r -> new Text(methodOr(r, "tlsmon"), "TLS keys for client random "
                    + text(r.attributes(), "client_random")),
            "drakvuf:memdump", EventSummaries::memdump,
            "drakvuf:procdump", r -> new Text(methodOr(r, "procdump"), join(": ", join(" ",
                    ProcessNames.shown(text(r.attributes(), "TargetName")),
                    bracketed(prefixed("pid ", text(r.attributes(), "TargetPID")))),
                    join(", ", suffixed(text(r.attributes(), "DumpSize"), " bytes"), text(r.attributes(), "DumpReason"),
                            text(r.attributes(), "Status")))),
            "drakvuf:inject", EventSummaries::inject,
            "drakvuf:dkommon", r -> new Text(firstOf(text(r.attributes(), "Message"), r.method(), "dkommon"),
                    join(": ", text(r.attributes(), "Message"), prefixed("pid ", text(r.attributes(), "HiddenPID")))));

    private EventSummaries() {
    }

    /**
     * The name and summary of one stored event.
     *
     * @param kind       the event's kind
     * @param action     the action or importer that produced it ({@code drakvuf:apimon}, {@code volatility:windows.pslist})
     * @param name       the {@code name} column, or {@code null}
     * @param fieldsJson the {@code fields} column (JSON text); text that does not parse counts as no fields
     */
    public static Text describe(String kind, String action, String name, String fieldsJson) {
        Row row = new Row(kind == null ? "" : kind, action == null ? "" : action, name == null ? "" : name,
                parse(fieldsJson));
        Function<Row, Text> rule = row.kind.equals("imported")
                ? IMPORTED.getOrDefault(text(row.fields, "tool") + ":" + text(row.fields, "source").toLowerCase(Locale.ROOT),
                EventSummaries::generic)
                : KINDS.getOrDefault(row.kind, EventSummaries::generic);
        Text text = rule.apply(row);
        String shownName = firstOf(text.name(), row.name, row.kind, "event");
        String summary = text.summary().isBlank() ? generic(row).summary() : text.summary();
        return new Text(Printable.of(shownName, MAX_NAME_CHARS),
                Printable.of(summary.isBlank() ? "(no fields)" : summary, MAX_SUMMARY_CHARS));
    }

    // --- the kinds of the event shape ---

    private static Text syscall(Row r) {
        String call = firstOf(text(r.fields, "syscall"), r.name);
        List<String> args = new ArrayList<>();
        for (JsonNode arg : r.fields.path("args")) {
            String value = text(arg, "value");
            // imported arguments keep their record's field name; live ones are decoded strace-style
            args.add(text(arg, "type").equals("raw") ? text(arg, "name") + "=" + value : value);
        }
        String result = text(r.fields, "result");
        if (args.isEmpty() && !result.isEmpty()) {
            return new Text(call, call + " returned " + result);
        }
        return new Text(call, call + "(" + String.join(", ", args) + ")" + prefixed(" = ", result));
    }

    private static Text fork(Row r) {
        boolean thread = r.fields.path("thread").asBoolean(false);
        return thread
                ? new Text("thread", "new thread " + text(r.fields, "childTid"))
                : new Text("fork", "new process, pid " + text(r.fields, "childPid"));
    }

    private static Text exit(Row r) {
        int signal = r.fields.path("signal").asInt(0);
        String how = signal > 0 ? "killed by signal " + signal : "exit code " + exitCode(r.fields.path("exitCode").asLong(-1));
        return new Text("exit", r.fields.path("thread").asBoolean(false) ? "thread " + how : how);
    }

    /** An NTSTATUS (negative as a 32-bit value, e.g. 0xC000013A) in hex, any other code in decimal. */
    private static String exitCode(long code) {
        return code < -1 && code >= Integer.MIN_VALUE ? String.format("0x%08X", code & 0xffffffffL) : Long.toString(code);
    }

    private static Text network(Row r) {
        String operation = text(r.fields, "operation");
        String call = text(r.fields, "syscall");
        return new Text(operation, join(" ", text(r.fields, "address"), call.equals(operation) ? "" : bracketed(call)));
    }

    private static Text processes(Row r) {
        String name;
        if (r.action.startsWith("volatility:")) {
            name = r.action.substring("volatility:".length());
        } else if (r.action.startsWith("drakvuf:")) {
            name = "running at start";
        } else {
            name = "process list";
        }
        // every entry of a first list "appeared": say so only when it tells something
        boolean allNew = r.fields.path("appeared").size() == r.fields.path("processes").size();
        String changes = join(", ", allNew ? "" : countOf(r.fields, "appeared", "appeared"),
                countOf(r.fields, "disappeared", "gone"),
                r.fields.path("complete").asBoolean(true) ? "" : "incomplete");
        return new Text(name, listed(r.fields, "processes", "processes" + prefixed(" ", bracketed(changes))));
    }

    private static String countOf(JsonNode fields, String key, String word) {
        int n = fields.path(key).size();
        return n == 0 ? "" : n + " " + word;
    }

    /** "N WHAT: first, second, …" of a snapshot's list of entries with names. */
    private static String listed(JsonNode fields, String key, String what) {
        JsonNode entries = fields.path(key);
        List<String> names = new ArrayList<>();
        for (JsonNode e : entries) {
            if (names.size() == LISTED_NAMES) {
                names.add("…");
                break;
            }
            names.add(ProcessNames.shown(text(e, "name")));
        }
        long count = fields.path("count").asLong(entries.size());
        return count + " " + what + prefixed(": ", String.join(", ", names));
    }

    private static String commandLine(Row r) {
        List<String> argv = new ArrayList<>();
        r.fields.path("argv").forEach(a -> argv.add(a.asText("")));
        String line = String.join(" ", argv).strip();
        // DRAKVUF's Windows command line often is just the quoted image path
        return line.replace("\"", "").strip().equals(text(r.fields, "path")) ? "" : line;
    }

    // --- DRAKVUF plugins without a kind of their own ---

    private static Text apimon(Row r) {
        JsonNode a = r.attributes();
        String event = text(a, "Event");
        String method = r.method();
        if (!text(a, "DllName").isEmpty()) {
            return new Text(firstOf(event, "dll"), join(" at ", text(a, "DllName"), text(a, "DllBase")));
        }
        if (method.isEmpty()) {
            return generic(r);
        }
        List<String> args = new ArrayList<>();
        a.path("Arguments").forEach(arg -> args.add(arg.isValueNode() ? arg.asText() : arg.toString()));
        return new Text(method, method + "(" + String.join(", ", args) + ")" + prefixed(" = ", text(a, "ReturnValue")));
    }

    private static Text regmon(Row r) {
        JsonNode a = r.attributes();
        String key = hive(text(a, "Key"));
        String value = text(a, "ValueName");
        String where = value.isEmpty() ? key : key + "\\" + value;
        return new Text(methodOr(r, "regmon"), where + prefixed(" = ", text(a, "Value")));
    }

    /** A registry path with its root as people write it: {@code HKLM\…}, {@code HKU\…}. */
    private static String hive(String key) {
        for (Map.Entry<String, String> root : HIVES.entrySet()) {
            if (key.regionMatches(true, 0, root.getKey(), 0, root.getKey().length())) {
                return root.getValue() + key.substring(root.getKey().length());
            }
        }
        return key;
    }

    private static Text procmon(Row r) {
        JsonNode a = r.attributes();
        if (!text(a, "ImagePathName").isEmpty()) {
            String status = text(a, "Status");
            return new Text(methodOr(r, "procmon"), join(" ", text(a, "ImagePathName"), text(a, "CommandLine").isEmpty()
                    ? "" : "— " + text(a, "CommandLine"), status.isEmpty() ? "" : "failed (" + status + ")"));
        }
        return generic(r);
    }

    private static Text extractedFile(Row r) {
        JsonNode a = r.attributes();
        return new Text(methodOr(r, text(r.fields, "source")), join(" ", text(a, "FileName"),
                bracketed(join(", ", suffixed(text(a, "Size"), " bytes"), text(a, "Reason")))));
    }

    private static Text memdump(Row r) {
        JsonNode a = r.attributes();
        String what = join(" ", suffixed(text(a, "DumpSize"), " bytes"), prefixed("at ", text(a, "DumpAddr")),
                prefixed("of pid ", text(a, "DumpPID")));
        return new Text(methodOr(r, "memdump"), join(": ", text(a, "DumpReason"),
                join(", ", what, prefixed("target pid ", text(a, "TargetPID")))));
    }

    private static Text inject(Row r) {
        JsonNode a = r.attributes();
        String status = text(a, "Status");
        if (status.equalsIgnoreCase("success")) {
            return new Text(methodOr(r, "inject"), join(" ", "started", text(a, "ProcessName"), text(a, "Arguments"),
                    prefixed("as pid ", text(a, "InjectedPid"))));
        }
        return new Text(methodOr(r, "inject"), join(": ", join(" ", firstOf(status, "failed"), text(a, "ErrorCode")),
                join(" ", text(a, "Error"), text(a, "ProcessName"))));
    }

    /** Any record: its method (else its type) and its first own fields as key=value. */
    private static Text generic(Row r) {
        boolean imported = r.kind.equals("imported");
        JsonNode own = imported ? r.attributes() : r.fields;
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<String, JsonNode> f : own.properties()) {
            if (pairs.size() == GENERIC_FIELDS) {
                break;
            }
            if (!(imported && DRAKVUF_HEADER.contains(f.getKey())) && !value(f.getValue()).isEmpty()) {
                pairs.add(f.getKey() + "=" + value(f.getValue()));
            }
        }
        String name = imported ? firstOf(r.method(), text(r.fields, "source")) : r.name;
        return new Text(name, String.join(", ", pairs));
    }

    // --- text helpers: every missing or null field is "", and empty parts drop out ---

    private static String methodOr(Row r, String fallback) {
        return firstOf(r.method(), fallback);
    }

    private static JsonNode parse(String json) {
        if (json == null) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    private static String text(JsonNode node, String key) {
        return value(node.path(key));
    }

    private static String value(JsonNode v) {
        if (v.isMissingNode() || v.isNull()) {
            return "";
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    private static String firstOf(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return "";
    }

    private static String join(String separator, String... parts) {
        List<String> present = new ArrayList<>();
        for (String p : parts) {
            if (p != null && !p.isBlank()) {
                present.add(p);
            }
        }
        return String.join(separator, present);
    }

    private static String prefixed(String prefix, String value) {
        return value.isEmpty() ? "" : prefix + value;
    }

    private static String suffixed(String value, String suffix) {
        return value.isEmpty() ? "" : value + suffix;
    }

    private static String bracketed(String value) {
        return value.isEmpty() ? "" : "(" + value + ")";
    }
}
