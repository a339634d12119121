package io.vmiscope.store;

import io.vmiscope.events.Event;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.store.imports.ImportItem;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The content-derived id of a stored event: the first 128 bits of a SHA-256, in hex (32 digits). The one home of
 * the id — the writer stores events under it and the live stream shows it before they are stored, so an event has
 * the same id either way. Every part of the hashed content is length-prefixed, so no two different contents hash
 * the same bytes.
 * <ul>
 *   <li>live events: vm, time, action, kind, the process (pid, tid, ppid, uid, name) and the fields as JSON in
 *       their stable order — the same event offered twice is stored once;</li>
 *   <li>imported events: the vm, the SHA-256 of the whole file's content, the line, the event's position among the
 *       events of that line (one DRAKVUF line can give a fork and an exec, or hold two records) and the raw record —
 *       importing the same content again, under any name or time, adds nothing, while two different files that
 *       share a line, or one file imported for two VMs, keep theirs.</li>
 * </ul>
 * Not thread-safe (one digest per instance, reused: no allocation per id beyond its text): each thread has its own.
 */
public final class EventIds {

    private static final HexFormat HEX = HexFormat.of();
    private static final int ID_BYTES = 16;

    private final MessageDigest sha256 = newSha256();
    private final byte[] numberBytes = new byte[Long.BYTES];

    /** A new SHA-256 digest: for event ids here, and for a file's content ({@link FileContent}). */
    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /**
     * The id of an event from live introspection.
     *
     * @param fieldsJson the event's {@link EventColumns#fieldsJson}: passed in because the caller needs it too (the
     *                   {@code fields} column, the stream's view), so it is written once
     */
    public String live(Event event, String fieldsJson) {
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
        text(fieldsJson);
        return digest();
    }

    /** The id of an event that a reader parsed from the file whose content is {@code content}. */
    String imported(ImportItem.Parsed item, FileContent content) {
        sha256.reset();
        text(item.event().vm());
        bytes(content.sha256());
        number(item.line());
        number(item.ordinal());
        text(item.rawRecord());
        return digest();
    }

    private String digest() {
        return HEX.formatHex(sha256.digest(), 0, ID_BYTES);
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
