package io.vmiscope.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the server listens and the token every request must carry: generated here, printed by the command in
 * the URL to open. Loopback is no protection by itself: every local user of the host can connect there, so
 * the token is needed on loopback too. Only on a loopback address may it be left out ({@code --no-token}).
 *
 * @param host  the address to listen on
 * @param port  the port, 0 for any free one
 * @param token the access token; empty (no token needed) only on a loopback address
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
        boolean loopback = isLoopback(host);
        if (token.isEmpty() && !loopback) {
            throw new IllegalArgumentException("--no-token is for loopback addresses only: on " + host
                    + " anyone who reaches the port could use the API");
        }
    }

    /** Settings for {@code host} with a fresh random token (24 random bytes, hex). */
    public static ServerSettings withToken(String host, int port) {
        return new ServerSettings(host, port, Optional.of(newToken()));
    }

    /**
     * Settings for a loopback {@code host} that need no token: every local user can then use the API.
     *
     * @throws IllegalArgumentException when {@code host} is not a loopback address
     */
    public static ServerSettings withoutToken(String host, int port) {
        return new ServerSettings(host, port, Optional.empty());
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
