package io.vmiscope.guest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vmiscope.api.TransportException;

/**
 * The framing of the demo guest's test console (the guest side is {@code /usr/sbin/vmiscope-console}).
 *
 * <pre>
 *   host  → guest   ID LIMIT_SECONDS BASE64(command) \n
 *   guest → host    \x1eID begin \n
 *                   BASE64(stdout+stderr), 76-column lines
 *                   \x1eID end EXIT_CODE \n
 * </pre>
 *
 * Output travels base64-encoded, so no output byte can forge a marker; answers carry the request's
 * id, so an answer left over from an earlier client or a timed-out request is skipped. Requests stay
 * under the guest tty's 4 KiB line buffer.
 */
final class ConsoleProtocol {

    /** Longest command accepted, in UTF-8 bytes (its base64 plus header fits the 4095-byte tty buffer). */
    static final int MAX_COMMAND_BYTES = 2900;
    /** Cap on one answer's base64 text: a runaway command cannot exhaust the host's memory. */
    static final int MAX_OUTPUT_BASE64_BYTES = 64 << 20;

    private static final Pattern ID = Pattern.compile("[0-9A-Za-z._-]{1,64}");
    private static final Pattern BEGIN = Pattern.compile("\u001e([0-9A-Za-z._-]{1,64}) begin");
    private static final Pattern END = Pattern.compile("\u001e([0-9A-Za-z._-]{1,64}) end (\\d{1,3})");

    private ConsoleProtocol() {
    }

    /** One request line. */
    static byte[] request(String id, long limitSeconds, String command) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("bad console request id: " + id);
        }
        byte[] utf8 = command.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_COMMAND_BYTES) {
            throw new IllegalArgumentException("console commands are limited to " + MAX_COMMAND_BYTES
                    + " bytes (got " + utf8.length + "); put longer scripts into a file step by step");
        }
        if (command.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("console commands cannot contain NUL");
        }
        String line = id + " " + Math.max(1, limitSeconds) + " " + Base64.getEncoder().encodeToString(utf8) + "\n";
        return line.getBytes(StandardCharsets.US_ASCII);
    }

    /** A complete answer. */
    record Answer(String id, int exitCode, byte[] output) {
    }

    /**
     * Collects answer lines. Lines outside a frame, frames of other ids and undecodable frames are
     * skipped. Not thread-safe.
     */
    static final class Assembler {
        private final StringBuilder base64 = new StringBuilder();
        private String current;

        /** Feeds one line (without {@code \n}); returns the answer when it ends a frame of one of {@code ids}. */
        Optional<Answer> accept(byte[] rawLine, Set<String> ids) {
            String line = new String(rawLine, StandardCharsets.ISO_8859_1);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            Matcher begin = BEGIN.matcher(line);
            if (begin.matches()) {
                current = ids.contains(begin.group(1)) ? begin.group(1) : null;
                base64.setLength(0);
                return Optional.empty();
            }
            Matcher end = END.matcher(line);
            if (end.matches()) {
                String id = end.group(1);
                boolean ours = id.equals(current);
                current = null;
                if (!ours) {
                    base64.setLength(0);
                    return Optional.empty();
                }
                try {
                    byte[] output = Base64.getMimeDecoder().decode(base64.toString());
                    return Optional.of(new Answer(id, Integer.parseInt(end.group(2)), output));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                } finally {
                    base64.setLength(0);
                }
            }
            if (current != null) {
                if (base64.length() + line.length() > MAX_OUTPUT_BASE64_BYTES) {
                    throw new TransportException("test console answer " + current + " is over "
                            + MAX_OUTPUT_BASE64_BYTES + " bytes");
                }
                base64.append(line);
            }
            return Optional.empty();
        }
    }
}
