package io.vmiscope.overhead.workload;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The web workload's client and meter, and the service probe's: {@code GET} requests from the host to a
 * service in the guest, one at a time, each on a new connection (HTTP/1.0: the server closes it after the
 * answer, as busybox httpd does anyway), each timed on the host's clock from connecting to the answer's
 * last byte.
 */
final class HttpGetLoop {

    /** The guest's index page: small and static. */
    static final String INDEX = "/";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_ANSWER_BYTES = 1 << 20;

    private final InetSocketAddress httpd;
    private final String path;

    /** Requests the guest httpd's index page. */
    HttpGetLoop(InetSocketAddress httpd) {
        this(httpd, INDEX);
    }

    /** @param path what to request, from {@code /} on */
    HttpGetLoop(InetSocketAddress httpd, String path) {
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IllegalArgumentException("a request path starts with / and has no spaces or control "
                    + "characters, not '" + path + "'");
        }
        this.httpd = httpd;
        this.path = path;
    }

    /**
     * Requests the page for {@code window}: the window ends with the first answer that arrives after it.
     *
     * @throws IllegalStateException when a request fails or gets no 200 answer
     */
    Rate measure(Duration window) {
        List<Long> latencyNanos = new ArrayList<>();
        long start = System.nanoTime();
        long end = start;
        while (end - start < window.toNanos()) {
            latencyNanos.add(requestNanos());
            end = System.nanoTime();
        }
        long[] latencies = latencyNanos.stream().mapToLong(Long::longValue).toArray();
        return new Rate(latencies.length, (end - start) / 1e9, Optional.of(Latencies.ofNanos(latencies)));
    }

    /**
     * One request.
     *
     * @return how long it took, in nanoseconds
     * @throws IllegalStateException when it fails or the answer's status is not 200
     */
    long requestNanos() {
        int timeoutMillis = (int) REQUEST_TIMEOUT.toMillis();
        long start = System.nanoTime();
        String statusLine;
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMillis);
            socket.connect(httpd, timeoutMillis);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nHost: " + httpd.getHostString() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            statusLine = statusLine(socket.getInputStream());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " from " + address() + " failed: " + e.getMessage(), e);
        }
        long nanos = System.nanoTime() - start;
        if (!statusLine.matches("HTTP/1\\.[01] 200( .*)?")) {
            throw new IllegalStateException("GET " + path + " from " + address() + " answered '" + statusLine
                    + "', not 200");
        }
        return nanos;
    }

    /** Reads the whole answer (so the request is timed to its end) and returns its first line. */
    private static String statusLine(InputStream in) throws IOException {
        byte[] answer = in.readNBytes(MAX_ANSWER_BYTES);
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        int lineEnd = text.indexOf("\r\n");
        String first = lineEnd < 0 ? text : text.substring(0, lineEnd);
        return first.length() <= 80 ? first : first.substring(0, 77) + "...";
    }

    private String address() {
        return httpd.getHostString() + ":" + httpd.getPort();
    }
}
