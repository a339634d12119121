package io.vmiscope.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vmiscope.api.TransportException;

/** The QMP client against a scripted server on a real Unix socket, speaking as QEMU 7.2 does. */
class QmpTest {

    private static final String GREETING = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7},"
            + " \"package\": \"Debian 1:7.2+dfsg-7+deb12u18\"}, \"capabilities\": [\"oob\"]}}";

    @TempDir
    Path dir;

    /** Serves one client: greeting, then one reply per request line as {@code reply} builds it. */
    private List<String> serve(Path socket, String greeting, Function<String, String> reply) throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread thread = new Thread(() -> {
            try (server; SocketChannel client = server.accept();
                 BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                         StandardCharsets.UTF_8));
                 OutputStream out = Channels.newOutputStream(client)) {
                out.write((greeting + "\r\n").getBytes(StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null) {
                    requests.add(line);
                    String answer = reply.apply(line);
                    if (answer == null) {
                        return;
                    }
                    out.write((answer + "\r\n").getBytes(StandardCharsets.UTF_8));
                }
            } catch (Exception e) {
                requests.add("server failed: " + e);
            }
        }, "fake-qmp");
        thread.setDaemon(true);
        thread.start();
        return requests;
    }

    private static String id(String request) {
        return request.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    }

    @Test
    void execute_negotiatesCapabilities_skipsEvents_andMatchesTheAnswerById() throws Exception {
        Path socket = dir.resolve("qmp.sock");
        List<String> requests = serve(socket, GREETING, request -> {
            if (request.contains("query-status")) {
                return "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"STOP\"}\r\n"
                        + "{\"return\": {\"status\": \"other\"}, \"id\": \"stale\"}\r\n"
                        + "{\"return\": {\"status\": \"paused\", \"singlestep\": false, \"running\": false}, \"id\": \""
                        + id(request) + "\"}";
            }
            return "{\"return\": {}, \"id\": \"" + id(request) + "\"}";
        });

        try (Qmp qmp = Qmp.connect(socket, Duration.ofSeconds(5))) {
            assertThat(qmp.status()).isEqualTo("paused");
            assertThat(qmp.drainEvents()).singleElement().satisfies(e -> assertThat(e.get("event").asText()).isEqualTo("STOP"));
            assertThat(qmp.drainEvents()).isEmpty();
            qmp.execute("human-monitor-command", Map.of("command-line", "info cpus"));
        }

        assertThat(requests.get(0)).contains("\"execute\":\"qmp_capabilities\"");
        assertThat(requests.get(2)).contains("\"arguments\":{\"command-line\":\"info cpus\"}");
    }

    @Test
    void execute_throwsQmpException_forAnErrorAnswer_andStaysUsable() throws Exception {
        Path socket = dir.resolve("qmp.sock");
        serve(socket, GREETING, request -> request.contains("no-such")
                ? "{\"id\": \"" + id(request) + "\", \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command no-such has not been found\"}}"
                : "{\"return\": {}, \"id\": \"" + id(request) + "\"}");

        try (Qmp qmp = Qmp.connect(socket, Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> qmp.execute("no-such"))
                    .isInstanceOfSatisfying(QmpException.class, e -> assertThat(e.errorClass()).isEqualTo("CommandNotFound"));
            qmp.cont();
        }
    }

    @Test
    void quit_acceptsQemuClosingTheSocketBeforeAnswering() throws Exception {
        Path socket = dir.resolve("qmp.sock");
        serve(socket, GREETING, request -> request.contains("quit") ? null : "{\"return\": {}, \"id\": \"" + id(request) + "\"}");

        try (Qmp qmp = Qmp.connect(socket, Duration.ofSeconds(5))) {
            qmp.quit();
        }
    }

    @Test
    void connect_failsWithATransportException_whenNothingListens() {
        assertThatThrownBy(() -> Qmp.connect(dir.resolve("absent.sock"), Duration.ofMillis(300)))
                .isInstanceOf(TransportException.class).hasMessageContaining("absent.sock");
    }

    @Test
    void connect_rejectsAPeerThatIsNotQmp() throws Exception {
        Path socket = dir.resolve("qmp.sock");
        serve(socket, "{\"hello\": 1}", request -> null);

        assertThatThrownBy(() -> Qmp.connect(socket, Duration.ofSeconds(5)))
                .isInstanceOf(TransportException.class).hasMessageContaining("not a QMP greeting");
    }
}
