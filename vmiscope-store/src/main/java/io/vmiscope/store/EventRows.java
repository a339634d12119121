package io.vmiscope.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmiscope.events.AnomalyEvent;
import io.vmiscope.events.ControlEvent;
import io.vmiscope.events.Event;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.FileEvent;
import io.vmiscope.events.ImportedEvent;
import io.vmiscope.events.NetworkEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.SyscallEvent;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Turns events into rows and gives each row its content-derived id: the first 128 bits of a
 * SHA-256, in hex. Every part of the hashed content is length-prefixed, so no two different
 * contents hash the same bytes.
 * <ul>
 *   <li>live events: vm, time, action, kind, the process (pid, tid, ppid, uid, name) and the
 *       fields as JSON in their stable order — the same event offered twice is stored once;</li>
 *   <li>imported events: the file's absolute path, the line, the event's position among the events
 *       of that line (one DRAKVUF line can give a fork and an exec) and the raw record — importing the
 *       same file again adds nothing.</li>
 * </ul>
 * Not thread-safe (one digest per instance): each thread has its own.
 */
public final class EventRows {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    private static final int ID_BYTES = 16;

    private final MessageDigest sha256;
    private final byte[] numberBytes = new byte[Long.BYTES];

    public EventRows() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** A row for an event from live introspection. */
    public EventRow live(Event event) {
        String fields = fieldsJson(event);
        ProcessRef p = event.process();
        sha256.reset();
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
        return row(event, fields, EventRow.LIVE, -1, null);
    }

    /**
     * A row for an event parsed from line {@code line} of {@code file}, whose raw text was {@code rawRecord}.
     *
     * @param ordinal the event's position (0, 1, …) among the events the reader gave for that line
     */
    EventRow imported(Event event, Path file, long line, int ordinal, String rawRecord) {
        String source = file.toAbsolutePath().normalize().toString();
        sha256.reset();
        text(source);
        number(line);
        number(ordinal);
        text(rawRecord);
        return row(event, fieldsJson(event), source, line, rawRecord);
    }

    private EventRow row(Event event, String fields, String source, long line, String original) {
        String id = HEX.formatHex(sha256.digest(), 0, ID_BYTES);
        ProcessRef p = event.process();
        return new EventRow(id, event.timeNanos(), event.vm(), event.action(), event.kind(), p.pid(), p.tid(),
                p.ppid(), p.uid(), p.name(), mainName(event), fields, source, line, original);
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
        }
        return null;
    }

    private static String fieldsJson(Event event) {
        try {
            return JSON.writeValueAsString(event.fields());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the fields of a " + event.kind() + " event as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    private void text(String value) {
        byte[] bytes = (value == null ? "" : value).getBytes(StandardCharsets.UTF_8);
        number(bytes.length);
        sha256.update(bytes);
    }

    private void number(long value) {
        for (int i = Long.BYTES - 1; i >= 0; i--) {
            numberBytes[i] = (byte) value;
            value >>>= 8;
        }
        sha256.update(numberBytes);
    }
}
