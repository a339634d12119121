package io.vmiscope.cli;

import io.vmiscope.web.ServerSettings;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

/** Where {@code serve} and {@code demo} serve the UI, and the overhead model the what-if planner uses. */
final class WebOptions {

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "address to listen on (default: ${DEFAULT-VALUE}); any other than loopback needs the "
                    + "access token printed at start")
    String host;

    @Option(names = "--port", defaultValue = "" + ServerSettings.DEFAULT_PORT,
            description = "port of the UI (default: ${DEFAULT-VALUE}; 0 for any free one)")
    int port;

    @Option(names = "--model", defaultValue = "vmiscope-data/overhead-model.json", paramLabel = "FILE",
            description = "the fitted overhead model for predictions (default: ${DEFAULT-VALUE}; "
                    + "'vmiscope overhead calibrate' writes it)")
    Path model;

    Path model() {
        return model;
    }

    ServerSettings settings() {
        return ServerSettings.forHost(host, port);
    }

    /**
     * Fails now, in one line, when the port is taken — before a guest is booted for nothing.
     *
     * @throws IllegalArgumentException when something listens there already
     */
    void checkPortFree() {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(host))) {
            probe.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "): choose another --port, or 0 for any free one");
        }
    }
}
