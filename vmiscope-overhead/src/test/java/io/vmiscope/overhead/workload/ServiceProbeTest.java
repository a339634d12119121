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
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The service probe against a real local HTTP server whose answers take as long as the test says. */
class ServiceProbeTest {

    private final AtomicLong delayMillis = new AtomicLong(20);
    private ServerSocket server;
    private ServiceProbe probe;

    @AfterEach
    void stop() throws IOException {
        if (probe != null) {
            probe.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private String serve() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    s.getInputStream().read(new byte[4096]);
                    Thread.sleep(delayMillis.get());
                    out.write("HTTP/1.0 200 OK\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
        return "http://127.0.0.1:" + server.getLocalPort() + "/health";
    }

    private OptionalDouble readingAfter(Duration wait) throws InterruptedException {
        probe.slowdownSinceLastCall();
        Thread.sleep(wait.toMillis());
        return probe.slowdownSinceLastCall();
    }

    @Test
    void slowerAnswers_readAsTheirSlowdown_againstTheLatencyBeforeMonitoring() throws Exception {
        probe = ServiceProbe.start(serve(), Duration.ofMillis(400));
        assertThat(probe.describe()).contains("/health").contains("every 100 ms");
        assertThat(readingAfter(Duration.ofMillis(600)).getAsDouble()).isLessThan(0.5);

        delayMillis.set(60);
        assertThat(readingAfter(Duration.ofMillis(800)).getAsDouble()).isBetween(1.0, 4.0);
    }

    @Test
    void inTheBackground_itReadsNothingUntilItsBaseline_thenAgainstTheLatencyUntilThen() throws Exception {
        serve();
        probe = ServiceProbe.background(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), "/");
        assertThat(readingAfter(Duration.ofMillis(500))).isEmpty();

        probe.baseline(new Rate(10, 0.5, Optional.empty()));
        assertThat(probe.describe()).contains("unmonitored median latency 2");
        delayMillis.set(60);
        assertThat(readingAfter(Duration.ofMillis(800)).getAsDouble()).isBetween(1.0, 4.0);
    }

    @Test
    void aServiceThatStopsAnswering_readsAsStalled() throws Exception {
        probe = ServiceProbe.start(serve(), Duration.ofMillis(300));
        server.close();
        assertThat(readingAfter(Duration.ofMillis(500)).getAsDouble()).isEqualTo(ServiceProbe.FAILED_SLOWDOWN);
    }

    @Test
    void aBadUrl_orAServiceThatIsNotThere_isOneLine() throws IOException {
        assertThatThrownBy(() -> ServiceProbe.start("ftp://x/", Duration.ofMillis(100)))
                .hasMessage("--probe-url needs http://HOST:PORT/PATH, not 'ftp://x/'");
        ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        int port = closed.getLocalPort();
        closed.close();
        assertThatThrownBy(() -> ServiceProbe.start("http://127.0.0.1:" + port + "/", Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--probe-url: GET / from 127.0.0.1:" + port);
    }
}
