package io.vmiscope.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vmiscope.api.TransportException;

/**
 * A minimal client of QEMU's machine protocol (QMP) over its Unix socket: reads the greeting,
 * negotiates capabilities, then runs one command at a time. Responses are matched to commands by
 * an {@code id}; asynchronous events in between are kept (the newest {@value #MAX_EVENTS}) for
 * {@link #drainEvents()}.
 *
 * <p>Thread-safe (commands are serialised). QEMU serves one client per QMP socket at a time; the
 * launcher gives every VM a second socket for a guard that must reach QEMU while the first is in
 * use. Transport failures and timeouts are {@link TransportException}s; a command QEMU rejects is a
 * {@link QmpException}. Closing is idempotent and leaves the VM as it is.
 */
public final class Qmp implements AutoCloseable {

    /** Default wait for a command's response. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_EVENTS = 100;
    private static final int MAX_LINE_BYTES = 4 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UnixLineChannel channel;
    private final Duration timeout;
    private final Deque<JsonNode> events = new ArrayDeque<>();
    private long nextId;
    private boolean closed;

    private Qmp(UnixLineChannel channel, Duration timeout) {
        this.channel = channel;
        this.timeout = timeout;
    }

    /**
     * Connects, reads the greeting and leaves capabilities negotiation mode.
     *
     * @param timeout for connecting (QEMU may still be creating the socket) and for each command
     * @throws TransportException when QEMU does not greet in time
     */
    public static Qmp connect(Path socket, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        UnixLineChannel channel = UnixLineChannel.connect(socket, deadline, MAX_LINE_BYTES);
        Qmp qmp = new Qmp(channel, timeout);
        try {
            JsonNode greeting = qmp.readMessage(deadline)
                    .orElseThrow(() -> new TransportException("QEMU sent no QMP greeting on " + socket
                            + " (another client may hold it)"));
            if (!greeting.has("QMP")) {
                throw new TransportException("not a QMP greeting on " + socket + ": " + greeting);
            }
            qmp.execute("qmp_capabilities");
            return qmp;
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Runs a command without arguments; see {@link #execute(String, Map)}. */
    public JsonNode execute(String command) {
        return execute(command, Map.of());
    }

    /**
     * Runs a command and returns its {@code return} value.
     *
     * @throws QmpException       when QEMU answers with an {@code error}
     * @throws TransportException when no answer arrives within the timeout or the socket fails
     */
    public synchronized JsonNode execute(String command, Map<String, ?> arguments) {
        if (closed) {
            throw new TransportException("QMP connection " + channel.path() + " is closed");
        }
        String id = "vmiscope-" + (++nextId);
        ObjectNode request = JSON.createObjectNode().put("execute", command).put("id", id);
        if (!arguments.isEmpty()) {
            request.set("arguments", JSON.valueToTree(arguments));
        }
        Instant deadline = Instant.now().plus(timeout);
        channel.write((request + "\n").getBytes(StandardCharsets.UTF_8), deadline);
        while (true) {
            JsonNode message = readMessage(deadline).orElseThrow(() -> new TransportException(
                    "QEMU did not answer QMP " + command + " within " + timeout.toMillis() + " ms"));
            if (message.has("event")) {
                if (events.size() == MAX_EVENTS) {
                    events.removeFirst();
                }
                events.addLast(message);
            } else if (id.equals(message.path("id").asText(null))) {
                if (message.has("error")) {
                    JsonNode error = message.get("error");
                    throw new QmpException(command, error.path("class").asText("GenericError"),
                            error.path("desc").asText(""));
                }
                return message.path("return");
            }
        }
    }

    /** The run state from {@code query-status}, e.g. {@code running}, {@code paused}, {@code debug}. */
    public String status() {
        return execute("query-status").path("status").asText();
    }

    /** True when {@code query-status} says the vCPUs run. */
    public boolean isRunning() {
        return execute("query-status").path("running").asBoolean();
    }

    /** Pauses the vCPUs. */
    public void stop() {
        execute("stop");
    }

    /** Resumes the vCPUs (also after a debugger left them stopped). */
    public void cont() {
        execute("cont");
    }

    /** Asks QEMU to exit; QEMU may close the socket before it answers, which counts as success. */
    public void quit() {
        try {
            execute("quit");
        } catch (TransportException e) {
            if (!e.getMessage().contains("closed the connection")) {
                throw e;
            }
        }
    }

    /** The events received since the last call, oldest first. */
    public synchronized List<JsonNode> drainEvents() {
        List<JsonNode> drained = List.copyOf(events);
        events.clear();
        return drained;
    }

    private Optional<JsonNode> readMessage(Instant deadline) {
        Optional<byte[]> line = channel.readLine(deadline);
        if (line.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(line.get()));
        } catch (IOException e) {
            throw new TransportException("QEMU sent malformed QMP JSON on " + channel.path() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            channel.close();
        }
    }
}
