package io.vmiscope.gdb;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a gdbstub listens: a Unix socket ({@code unix:PATH}, what vmiscope gives the VMs it starts) or
 * a TCP port ({@code HOST:PORT}, for a QEMU started with {@code -gdb tcp:…}). {@link #toString()}
 * gives the text {@link #parse} reads.
 *
 * <p>A Unix socket is guarded by file permissions, so only its owner (and root) can connect; a TCP
 * port is open to every local user, and beyond loopback to the network (see docs/security.md).
 */
public sealed interface GdbAddress permits GdbAddress.Tcp, GdbAddress.Unix {

    /** The prefix that marks a Unix socket path in {@link #parse}. */
    String UNIX_PREFIX = "unix:";

    /**
     * Parses {@code unix:PATH} or {@code HOST:PORT} (the last colon separates the port).
     *
     * @throws IllegalArgumentException naming {@code text} when it is neither
     */
    static GdbAddress parse(String text) {
        if (text.startsWith(UNIX_PREFIX)) {
            return new Unix(Path.of(text.substring(UNIX_PREFIX.length())));
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("wanted unix:PATH or HOST:PORT, not '" + text + "'");
        }
        try {
            return new Tcp(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("wanted unix:PATH or HOST:PORT, not '" + text + "'", e);
        }
    }

    /** Whether only this machine can reach the stub: a Unix socket, or TCP on a loopback address. */
    boolean isLocal();

    /**
     * A TCP port of a gdbstub ({@code -gdb tcp:HOST:PORT}).
     *
     * @param host host name or address, e.g. {@code 127.0.0.1}
     * @param port 1..65535
     */
    record Tcp(String host, int port) implements GdbAddress {

        public Tcp {
            Objects.requireNonNull(host, "host");
            if (host.isEmpty() || port < 1 || port > 65535) {
                throw new IllegalArgumentException("not a gdbstub address: '" + host + ":" + port + "'");
            }
        }

        /** True when {@code host} resolves to a loopback address; false also when it does not resolve. */
        @Override
        public boolean isLocal() {
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /**
     * A Unix socket of a gdbstub ({@code -gdb unix:PATH,server=on,wait=off}).
     *
     * @param path the socket file
     */
    record Unix(Path path) implements GdbAddress {

        public Unix {
            Objects.requireNonNull(path, "path");
            if (path.toString().isEmpty()) {
                throw new IllegalArgumentException("not a gdbstub address: 'unix:' names no socket");
            }
        }

        @Override
        public boolean isLocal() {
            return true;
        }

        @Override
        public String toString() {
            return UNIX_PREFIX + path;
        }
    }
}
