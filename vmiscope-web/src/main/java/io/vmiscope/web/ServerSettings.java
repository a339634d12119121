package io.vmiscope.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the server listens and whether it needs a token: on a loopback address only the local user can
 * connect, anywhere else every request must carry the token (generated here, printed by the command).
 *
 * @param host  the address to listen on
 * @param port  the port, 0 for any free one
 * @param token the access token, empty on loopback
 */
public record ServerSettings(String host, int port, Optional<String> token) {

    /** The default port of {@code vmiscope serve} and {@code vmiscope demo}. */
    public static final int DEFAULT_PORT = 7070;

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(token, "token");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be 0 to 65535, not " + port);
        }
    }

    /** Settings for {@code host}: a fresh random token unless it is a loopback address. */
    public static ServerSettings forHost(String host, int port) {
        return new ServerSettings(host, port, isLoopback(host) ? Optional.empty() : Optional.of(newToken()));
    }

    /** Whether {@code host} names only this machine (127.0.0.0/8, ::1, localhost). */
    public static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--host '" + host + "' is not an address of this machine");
        }
    }

    static String newToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
