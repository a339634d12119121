package io.vmiscope.cli.guard;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmiscope.guest.Qmp;

import java.util.Optional;

/**
 * Whether a debugger is connected to a QEMU's gdbstub, from QMP {@code query-chardev}: the chardev
 * labelled {@code gdb} reads {@code disconnected:…} while no client is connected. While one is, it reads
 * {@code tcp:HOST:PORT,server=on <-> CLIENT} for a TCP stub and {@code unix:PATH,server=on} for a Unix
 * socket, which names no client (QEMU 7.2).
 *
 * <p>Why it matters: while a client is connected QEMU accepts no other, but the host's TCP stack
 * (TCP or Unix) completes the handshake and queues the connection. QEMU accepts a queued connection once the client
 * detaches, even if its peer has given up and closed it, and every accepted connection stops the VM:
 * a release attempted behind a live debugger would stop the VM again as soon as that debugger detaches.
 * So look before connecting.
 */
public final class GdbStubClients {

    private static final String DISCONNECTED = "disconnected:";
    private static final String SEPARATOR = " <-> ";

    private GdbStubClients() {
    }

    /**
     * The debugger connected to the gdbstub: its address, e.g. {@code 127.0.0.1:37098}, or for a Unix
     * socket {@code a client of unix:PATH}; empty when none is, or when QEMU has no chardev labelled
     * {@code gdb}.
     *
     * @throws io.vmiscope.api.TransportException when QMP fails
     */
    public static Optional<String> attached(Qmp qmp) {
        for (JsonNode chardev : qmp.execute("query-chardev")) {
            if (chardev.path("label").asText().equals("gdb")) {
                String filename = chardev.path("filename").asText();
                if (filename.startsWith(DISCONNECTED)) {
                    return Optional.empty();
                }
                int separator = filename.indexOf(SEPARATOR);
                return Optional.of(separator < 0 ? "a client of " + filename.replaceFirst(",server=on$", "")
                        : filename.substring(separator + SEPARATOR.length()));
            }
        }
        return Optional.empty();
    }
}
