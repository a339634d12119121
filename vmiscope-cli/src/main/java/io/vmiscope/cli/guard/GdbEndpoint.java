package io.vmiscope.cli.guard;

import java.util.Objects;

/**
 * Where a gdbstub listens.
 *
 * @param host host name or address, e.g. {@code 127.0.0.1}
 * @param port TCP port, 1..65535
 */
public record GdbEndpoint(String host, int port) {

    public GdbEndpoint {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("not a gdbstub address: '" + host + ":" + port + "'");
        }
    }

    /**
     * Parses {@code HOST:PORT} (the last colon separates the port).
     *
     * @throws IllegalArgumentException naming {@code text} when it is not of that form
     */
    public static GdbEndpoint parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("wanted HOST:PORT, not '" + text + "'");
        }
        try {
            return new GdbEndpoint(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("wanted HOST:PORT, not '" + text + "'", e);
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
