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
            description = "address to listen on (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--no-token",
            description = "on a loopback address, serve without the access token that the printed URL carries: "
                    + "then every local user of this machine can use the UI and its API (docs/security.md)")
    boolean noToken;

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

    /**
     * The settings, with a fresh token unless {@code --no-token} (then with a warning on standard error).
     *
     * @throws IllegalArgumentException for {@code --no-token} on an address that is not loopback
     */
    ServerSettings settings() {
        if (!noToken) {
            return ServerSettings.withToken(host, port);
        }
        ServerSettings open = ServerSettings.withoutToken(host, port);
        System.err.println("vmiscope: warning: --no-token: every user of this machine can use the UI and its API "
                + "(list processes, read events, start and stop introspection)");
        return open;
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
