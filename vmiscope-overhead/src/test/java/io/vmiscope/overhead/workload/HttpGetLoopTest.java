package io.vmiscope.overhead.workload;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The web workload's client against a tiny loopback server that answers every connection alike. */
class HttpGetLoopTest {

    private ServerSocket server;

    @AfterEach
    void closeServer() throws IOException {
        server.close();
    }

    @Test
    void measure_countsEveryAnsweredRequest_andTakesTheirPercentiles() throws IOException {
        serve("HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html></html>");

        Rate rate = new HttpGetLoop(address()).measure(Duration.ofMillis(200));

        assertThat(rate.ops()).isPositive();
        assertThat(rate.wallSeconds()).isGreaterThanOrEqualTo(0.2);
        assertThat(rate.latencies()).hasValueSatisfying(l -> assertThat(l.p50Millis()).isLessThanOrEqualTo(l.p99Millis()));
    }

    @Test
    void request_thatIsNotAnswered200_failsWithTheStatusLine() throws IOException {
        serve("HTTP/1.1 404 Not Found\r\n\r\n");

        assertThatThrownBy(() -> new HttpGetLoop(address()).requestNanos())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("GET / from 127.0.0.1:" + server.getLocalPort()
                        + " answered 'HTTP/1.1 404 Not Found', not 200");
    }

    @Test
    void request_toAClosedPort_failsSayingWhere() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        InetSocketAddress closed = address();
        server.close();

        assertThatThrownBy(() -> new HttpGetLoop(closed).requestNanos())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("GET / from 127.0.0.1:" + closed.getPort() + " failed: ");
    }

    private void serve(String answer) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket client = server.accept()) {
                    readRequest(client);
                    OutputStream out = client.getOutputStream();
                    out.write(answer.getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // closed by the test, or the client went away: next connection or end
                }
            }
        }, "test-httpd");
        thread.setDaemon(true);
        thread.start();
    }

    /** Reads up to the request's blank line: closing with unread bytes would reset the connection. */
    private static void readRequest(Socket client) throws IOException {
        int matched = 0;
        String end = "\r\n\r\n";
        while (matched < end.length()) {
            int b = client.getInputStream().read();
            if (b < 0) {
                return;
            }
            matched = b == end.charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    private InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.getLocalPort());
    }
}
