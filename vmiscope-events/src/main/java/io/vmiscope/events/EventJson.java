package io.vmiscope.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The documented JSON-lines form of an event (docs/events.md): the common header first, then the
 * kind's fields. Guest strings are written as JSON strings only, escaped by Jackson.
 * {@link #parse(String)} reads such a line back. All methods are thread-safe.
 */
public final class EventJson {

    /** Refuses anything after the first value: a line holds one event, and nothing on it goes unseen. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final TypeReference<LinkedHashMap<String, Object>> ATTRIBUTES = new TypeReference<>() {
    };
    private static final int MAX_REASON_CHARS = 200;

    private EventJson() {
    }

    /** The event as an ordered map: header, then fields. */
    public static Map<String, Object> toMap(Event event) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", event.timeNanos());
        m.put("vm", event.vm());
        m.put("action", event.action());
        m.put("kind", event.kind());
        ProcessRef p = event.process();
        m.put("pid", p.pid());
        m.put("tid", p.tid());
        m.put("ppid", p.ppid());
        m.put("uid", p.uid());
        m.put("process", p.name());
        m.putAll(event.fields());
        return m;
    }

    /** One line of JSON, without the newline. */
    public static String toLine(Event event) {
        try {
            return JSON.writeValueAsString(toMap(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write event as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Reads one line written by {@link #toLine(Event)} back into the event: {@code parse(toLine(e))}
     * equals {@code e} for every kind (derived fields such as {@code count} are not read back; an
     * imported event's attribute values come back as Jackson reads JSON: strings, {@code Integer},
     * {@code Long}, {@code Double}, {@code Boolean}, lists, maps). Unknown extra keys are ignored.
     *
     * @param line one JSON object, without the newline
     * @return the event the line describes
     * @throws IllegalArgumentException with a one-line reason when the line is not one JSON object (anything after
     *                                  it included), lacks a field, holds a field of the wrong type or names an
     *                                  unknown kind
     */
    public static Event parse(String line) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + OneLine.of(e.getOriginalMessage(), MAX_REASON_CHARS), e);
        }
        return fromTree(n);
    }

    /**
     * The event that a JSON object already parsed (by a caller that reads several from one text, say)
     * describes, as {@link #parse(String)} reads it.
     *
     * @throws IllegalArgumentException with a one-line reason, as {@link #parse(String)}
     */
    public static Event fromTree(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        long time = longOf(n, "time");
        String vm = str(n, "vm");
        String action = str(n, "action");
        ProcessRef p = new ProcessRef(intOf(n, "pid"), intOf(n, "tid"), intOf(n, "ppid"), longOf(n, "uid"),
                str(n, "process"));
        String kind = str(n, "kind");
        return switch (kind == null ? "" : kind) {
            case "syscall" -> new SyscallEvent(time, vm, action, p, str(n, "syscall"), intOf(n, "number"),
                    list(n, "args", EventJson::argument), n.has("result") ? str(n, "result") : null,
                    n.has("abi") ? str(n, "abi") : "");
            case "exec" -> new ExecEvent(time, vm, action, p, str(n, "path"), list(n, "argv", e -> text(e, "argv")),
                    bool(n, "argvComplete"));
            case "fork" -> new ForkEvent(time, vm, action, p, intOf(n, "childPid"), intOf(n, "childTid"),
                    bool(n, "thread"));
            case "exit" -> new ExitEvent(time, vm, action, p, intOf(n, "exitCode"), intOf(n, "signal"),
                    bool(n, "thread"));
            case "file" -> new FileEvent(time, vm, action, p, str(n, "operation"), str(n, "path"),
                    n.has("target") ? str(n, "target") : null, str(n, "detail"), str(n, "syscall"));
            case "network" -> new NetworkEvent(time, vm, action, p, str(n, "operation"), str(n, "address"),
                    intOf(n, "fd"), str(n, "syscall"));
            case "processes" -> new ProcessSnapshotEvent(time, vm, action, p, list(n, "processes", EventJson::process),
                    list(n, "appeared", e -> integer(e, "appeared")), list(n, "disappeared", e -> integer(e, "disappeared")),
                    bool(n, "complete"), bool(n, "paused"));
            case "modules" -> new ModuleSnapshotEvent(time, vm, action, p, list(n, "modules", EventJson::module),
                    list(n, "appeared", e -> text(e, "appeared")), list(n, "disappeared", e -> text(e, "disappeared")),
                    bool(n, "complete"));
            case "anomaly" -> new AnomalyEvent(time, vm, action, p, str(n, "anomaly"), str(n, "where"),
                    str(n, "detail"));
            case "control" -> new ControlEvent(time, vm, action, p, str(n, "change"), str(n, "reason"));
            case "alert" -> new AlertEvent(time, vm, action, p, str(n, "rule_id"), str(n, "title"),
                    AlertEvent.Level.of(str(n, "level")), list(n, "techniques", e -> text(e, "techniques")),
                    list(n, "evidence", e -> text(e, "evidence")), str(n, "explanation"), str(n, "follow_up"));
            case "finding" -> new IntegrityFindingEvent(time, vm, action, p, str(n, "check"), str(n, "subject"),
                    str(n, "explanation"), views(n), list(n, "techniques", e -> text(e, "techniques")));
            case "imported" -> new ImportedEvent(time, vm, action, p, str(n, "tool"), str(n, "source"),
                    str(n, "method"), attributes(n));
            default -> throw new IllegalArgumentException("unknown kind '" + OneLine.of(kind, MAX_REASON_CHARS) + "'");
        };
    }

    private static SyscallArgument argument(JsonNode a) {
        return new SyscallArgument(str(a, "name"), str(a, "type"), longOf(a, "raw"), str(a, "value"),
                optionalBool(a, "truncated"), optionalBool(a, "unreadable"));
    }

    private static ProcessSnapshotEvent.Entry process(JsonNode e) {
        String state = str(e, "state");
        if (state == null || state.length() != 1) {
            throw new IllegalArgumentException("field 'state' is not one character");
        }
        return new ProcessSnapshotEvent.Entry(intOf(e, "pid"), intOf(e, "tid"), intOf(e, "ppid"), longOf(e, "uid"),
                longOf(e, "gid"), str(e, "name"), list(e, "argv", a -> text(a, "argv")), state.charAt(0),
                bool(e, "kernelThread"), longOf(e, "startTimeNanos"));
    }

    private static ModuleSnapshotEvent.Entry module(JsonNode m) {
        String base = str(m, "base");
        long address;
        try {
            address = Long.parseUnsignedLong(base.startsWith("0x") ? base.substring(2) : base, 16);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("field 'base' is not a hex address", e);
        }
        return new ModuleSnapshotEvent.Entry(str(m, "name"), str(m, "state"), address, longOf(m, "size"));
    }

    private static Map<String, Object> attributes(JsonNode n) {
        JsonNode a = field(n, "attributes");
        if (!a.isObject()) {
            throw new IllegalArgumentException("field 'attributes' is not an object");
        }
        return JSON.convertValue(a, ATTRIBUTES);
    }

    /** An object of strings, in order. */
    private static Map<String, String> views(JsonNode n) {
        JsonNode v = field(n, "views");
        if (!v.isObject()) {
            throw new IllegalArgumentException("field 'views' is not an object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        v.fields().forEachRemaining(e -> out.put(e.getKey(), text(e.getValue(), "views")));
        return out;
    }

    private static JsonNode field(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing field '" + key + "'");
        }
        return v;
    }

    private static String str(JsonNode n, String key) {
        JsonNode v = field(n, key);
        if (v.isNull()) {
            return null;
        }
        return text(v, key);
    }

    private static String text(JsonNode v, String key) {
        if (!v.isTextual()) {
            throw new IllegalArgumentException("field '" + key + "' is not a string");
        }
        return v.textValue();
    }

    private static long longOf(JsonNode n, String key) {
        JsonNode v = field(n, key);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException("field '" + key + "' is not a 64-bit integer");
        }
        return v.longValue();
    }

    private static int intOf(JsonNode n, String key) {
        return integer(field(n, key), key);
    }

    private static int integer(JsonNode v, String key) {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException("field '" + key + "' is not a 32-bit integer");
        }
        return v.intValue();
    }

    private static boolean bool(JsonNode n, String key) {
        JsonNode v = field(n, key);
        if (!v.isBoolean()) {
            throw new IllegalArgumentException("field '" + key + "' is not a boolean");
        }
        return v.booleanValue();
    }

    private static boolean optionalBool(JsonNode n, String key) {
        return n.has(key) && bool(n, key);
    }

    private static <T> List<T> list(JsonNode n, String key, Function<JsonNode, T> element) {
        JsonNode v = field(n, key);
        if (!v.isArray()) {
            throw new IllegalArgumentException("field '" + key + "' is not a list");
        }
        List<T> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (e.isNull()) {
                throw new IllegalArgumentException("field '" + key + "' holds null");
            }
            out.add(element.apply(e));
        }
        return out;
    }

    /**
     * A sink that writes one JSON line per event to {@code out}, flushing after each line so that
     * nothing reported is lost when the process ends. Thread-safe.
     */
    public static EventSink writer(OutputStream out) {
        return new EventSink() {
            @Override
            public synchronized void accept(Event event) {
                try {
                    out.write((toLine(event) + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write event: " + e.getMessage(), e);
                }
            }

            @Override
            public synchronized void close() {
                try {
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }
}
