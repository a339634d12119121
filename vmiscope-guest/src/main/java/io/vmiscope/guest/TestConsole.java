package io.vmiscope.guest;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

import io.vmiscope.api.TransportException;

/**
 * Client of the demo guest's test console on its second serial port (QEMU exposes it as a Unix
 * socket). Tests use it to create ground truth and start workloads; introspection never does. The
 * framing is described in the guest's {@code /usr/sbin/vmiscope-console} (base64 both ways, answers
 * tagged with the request id).
 *
 * <p>Thread-safe: one command at a time. QEMU serves one client per socket, so one
 * {@code TestConsole} per VM and process. Reconnect-safe: after a transport failure the next call
 * connects again, and answers left over from the failed exchange are skipped by id. A command runs
 * in the guest as {@code sh -c} with stdin from {@code /dev/null}; the guest kills it when its time
 * limit passes. Closing is idempotent and leaves the guest untouched.
 */
public final class TestConsole implements AutoCloseable {

    /** Time limit of {@link #run(String)}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** Extra host-side wait beyond the guest's limit, for the answer to cross the serial port. */
    private static final Duration TRANSFER_MARGIN = Duration.ofSeconds(10);
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    private static final int MAX_LINE_BYTES = 64 * 1024;

    private final Path socket;
    private final String nonce;
    private long sequence;
    private UnixLineChannel channel;
    private ConsoleProtocol.Assembler assembler;
    /**
     * Every readiness probe sent and not yet answered, across {@link #awaitReady} calls: a guest that
     * starts its console late answers the probes queued in its tty one by one, and under load that backlog
     * can take longer than a call waits, so an answer to any earlier probe proves the console is up.
     */
    private final Set<String> unansweredProbes = new HashSet<>();

    /** A console on QEMU's socket for the guest's ttyS1; connects on first use. */
    public TestConsole(Path socket) {
        this.socket = socket;
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        this.nonce = HexFormat.of().formatHex(random);
    }

    public Path socket() {
        return socket;
    }

    /** Runs {@code command} with the {@link #DEFAULT_TIMEOUT}. */
    public CommandResult run(String command) {
        return run(command, DEFAULT_TIMEOUT);
    }

    /**
     * Runs {@code command} in the guest and waits for its exit code and output.
     *
     * @param timeout the guest kills the command after this (rounded up to whole seconds; exit code 137)
     * @throws IllegalArgumentException when the command is longer than the tty line buffer allows
     * @throws TransportException       when the console does not answer in time or the socket fails
     */
    public synchronized CommandResult run(String command, Duration timeout) {
        long limitSeconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        String id = nextId();
        byte[] request = ConsoleProtocol.request(id, limitSeconds, command);
        Instant start = Instant.now();
        Instant deadline = start.plus(Duration.ofSeconds(limitSeconds)).plus(TRANSFER_MARGIN);
        ConsoleProtocol.Answer answer = exchange(request, Set.of(id), deadline)
                .orElseThrow(() -> new TransportException("test console " + socket + " gave no answer to '"
                        + abbreviate(command) + "' within " + Duration.between(start, deadline).toSeconds() + " s"));
        return new CommandResult(answer.exitCode(), answer.output(), Duration.between(start, Instant.now()));
    }

    /**
     * Waits until the guest's console answers (the guest's {@code /init} starts it after the services),
     * probing once a second.
     *
     * @return the time waited
     * @throws TransportException when it does not answer within {@code timeout}
     */
    public synchronized Duration awaitReady(Duration timeout) {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            String id = nextId();
            unansweredProbes.add(id);
            Instant probeDeadline = min(Instant.now().plus(PROBE_INTERVAL), deadline);
            try {
                if (exchange(ConsoleProtocol.request(id, 5, "true"), Set.copyOf(unansweredProbes), probeDeadline).isPresent()) {
                    unansweredProbes.clear();
                    return Duration.between(start, Instant.now());
                }
            } catch (TransportException e) {
                // QEMU may not have created the socket yet; wait for the next probe.
                sleepUntil(probeDeadline);
            }
        }
        throw new TransportException("test console " + socket + " did not answer within " + timeout.toSeconds() + " s");
    }

    private Optional<ConsoleProtocol.Answer> exchange(byte[] request, Set<String> ids, Instant deadline) {
        try {
            connect(deadline);
            channel.write(request, deadline);
            while (true) {
                Optional<byte[]> line = channel.readLine(deadline);
                if (line.isEmpty()) {
                    return Optional.empty();
                }
                Optional<ConsoleProtocol.Answer> answer = assembler.accept(line.get(), ids);
                if (answer.isPresent()) {
                    return answer;
                }
            }
        } catch (TransportException e) {
            disconnect();
            throw e;
        }
    }

    private void connect(Instant deadline) {
        if (channel == null) {
            channel = UnixLineChannel.connect(socket, deadline, MAX_LINE_BYTES);
            assembler = new ConsoleProtocol.Assembler();
        }
    }

    private void disconnect() {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    private String nextId() {
        return nonce + "-" + (++sequence);
    }

    @Override
    public synchronized void close() {
        disconnect();
    }

    private static String abbreviate(String command) {
        return command.length() <= 60 ? command : command.substring(0, 57) + "...";
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static void sleepUntil(Instant when) {
        long millis = Duration.between(Instant.now(), when).toMillis();
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted while waiting for the test console", e);
        }
    }
}
