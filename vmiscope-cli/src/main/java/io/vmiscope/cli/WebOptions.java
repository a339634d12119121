package io.vmiscope.cli;

import io.vmiscope.web.ServerSettings;
import picocli.CommandLine.Option;

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
}
