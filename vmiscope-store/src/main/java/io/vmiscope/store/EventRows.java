package io.vmiscope.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmiscope.events.AlertEvent;
import io.vmiscope.events.AnomalyEvent;
import io.vmiscope.events.ControlEvent;
import io.vmiscope.events.Event;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.FileEvent;
import io.vmiscope.events.ImportedEvent;
import io.vmiscope.events.NetworkEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.SyscallEvent;

import io.vmiscope.store.imports.ImportItem;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns events into rows and gives each row its content-derived id: the first 128 bits of a
 * SHA-256, in hex. Every part of the hashed content is length-prefixed, so no two different
 * contents hash the same bytes.
 * <ul>
 *   <li>live events: vm, time, action, kind, the process (pid, tid, ppid, uid, name) and the
 *       fields as JSON in their stable order — the same event offered twice is stored once;</li>
 *   <li>imported events: the vm, the SHA-256 of the whole file's content, the line, the event's position
 *       among the events of that line (one DRAKVUF line can give a fork and an exec, or hold two records) and
 *       the raw record — importing the same content again, under any name or time, adds nothing, while two
 *       different files that share a line, or one file imported for two VMs, keep theirs.</li>
 * </ul>
 * Not thread-safe (one digest per instance): each thread has its own.
 */
public final class EventRows {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    private static final int ID_BYTES = 16;
    /** The key that marks an imported event's time as inferred (docs/events.md). */
    static final String TIME_INFERRED = "timeInferred";

    private final MessageDigest sha256;
    private final byte[] numberBytes = new byte[Long.BYTES];

    public EventRows() {
        sha256 = newSha256();
    }

    /** A new SHA-256 digest: for event ids here, and for a file's content ({@link FileContent}). */
    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /**
     * A row for an event from live introspection. An alert's id hashes only its vm, rule and evidence ids: the
     * same detection raised again (a re-run over the same events, a follow-up that changed its text) is the same
     * alert, stored once.
     */
    public EventRow live(Event event) {
        String fields = fieldsJson(event);
        ProcessRef p = event.process();
        sha256.reset();
        if (event instanceof AlertEvent alert) {
            text(event.vm());
            text(event.kind());
            text(alert.ruleId());
            number(alert.evidence().size());
            alert.evidence().forEach(this::text);
            return row(event, fields, EventRow.LIVE, -1, null, null);
        }
        text(event.vm());
        number(event.timeNanos());
        text(event.action());
        text(event.kind());
        number(p.pid());
        number(p.tid());
        number(p.ppid());
        number(p.uid());
        text(p.name());
        text(fields);
        return row(event, fields, EventRow.LIVE, -1, null, null);
    }

    /**
     * A row for an event that a reader parsed from the file whose content is {@code content}. An event whose time
     * was inferred carries {@code "timeInferred": true} after its own fields.
     */
    EventRow imported(ImportItem.Parsed item, FileContent content) {
        Event event = item.event();
        sha256.reset();
        text(event.vm());
        bytes(content.sha256());
        number(item.line());
        number(item.ordinal());
        text(item.rawRecord());
        String fields = item.timeInferred() ? fieldsJsonWithTimeInferred(event) : fieldsJson(event);
        return row(event, fields, content.source(), item.line(), item.rawRecord(), content.sha256Hex());
    }

    private EventRow row(Event event, String fields, String source, long line, String original, String sha) {
        String id = HEX.formatHex(sha256.digest(), 0, ID_BYTES);
        ProcessRef p = event.process();
        return new EventRow(id, event.timeNanos(), event.vm(), event.action(), event.kind(), p.pid(), p.tid(),
                p.ppid(), p.uid(), p.name(), mainName(event), fields, source, line, original, sha);
    }

    /** The kind's main name, for the {@code name} column, or {@code null} when the kind has none. */
    static String mainName(Event event) {
        if (event instanceof SyscallEvent e) {
            return e.name();
        } else if (event instanceof ExecEvent e) {
            return e.path();
        } else if (event instanceof FileEvent e) {
            return e.operation();
        } else if (event instanceof NetworkEvent e) {
            return e.operation();
        } else if (event instanceof AnomalyEvent e) {
            return e.anomaly();
        } else if (event instanceof ControlEvent e) {
            return e.change();
        } else if (event instanceof ImportedEvent e) {
            return e.source();
        } else if (event instanceof AlertEvent e) {
            return e.ruleId();
        }
        return null;
    }

    private static String fieldsJson(Event event) {
        return json(event, event.fields());
    }

    /** The fields with the mark of an imported event whose record had no time of its own. */
    private static String fieldsJsonWithTimeInferred(Event event) {
        Map<String, Object> fields = new LinkedHashMap<>(event.fields());
        fields.put(TIME_INFERRED, true);
        return json(event, fields);
    }

    private static String json(Event event, Map<String, Object> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the fields of a " + event.kind() + " event as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    private void text(String value) {
        bytes((value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
    }

    private void bytes(byte[] value) {
        number(value.length);
        sha256.update(value);
    }

    private void number(long value) {
        for (int i = Long.BYTES - 1; i >= 0; i--) {
            numberBytes[i] = (byte) value;
            value >>>= 8;
        }
        sha256.update(numberBytes);
    }
}
