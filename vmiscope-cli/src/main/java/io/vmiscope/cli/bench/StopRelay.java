package io.vmiscope.cli.bench;

import io.vmiscope.gdb.GdbAddress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A byte relay between one debugger and a GDB stub on Unix sockets that times how long the debugger
 * keeps the VM stopped per hit: from the stub's stop reply to the debugger's next continue
 * ({@code c}, {@code C}, or a {@code vCont} without a step). Steps and everything else the debugger
 * does in between (removing and re-inserting breakpoints, reading memory) count as stopped. The first
 * stop (attaching and setting up) is not a hit and is left out. Bytes pass unchanged; the relay only
 * looks at the first bytes of each packet. Two threads; {@link #close} ends both.
 */
public final class StopRelay implements AutoCloseable {

    private final ServerSocketChannel server;
    private final Path socket;
    private final Path stub;
    private final List<Long> stopped = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private SocketChannel debugger;
    private SocketChannel target;
    /** When the VM stopped (System.nanoTime), or -1 while it runs. */
    private long stoppedAt = -1;
    private boolean setupSeen;

    private StopRelay(ServerSocketChannel server, Path socket, Path stub) {
        this.server = server;
        this.socket = socket;
        this.stub = stub;
    }

    /** Listens on {@code socket} (a new path) and relays its one client to the stub at {@code stub}. */
    public static StopRelay start(Path socket, GdbAddress.Unix stub) {
        try {
            Files.deleteIfExists(socket);
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            StopRelay relay = new StopRelay(server, socket, stub.path());
            Thread acceptor = new Thread(relay::serve, "vmiscope-stop-relay");
            acceptor.setDaemon(true);
            relay.threads.add(acceptor);
            acceptor.start();
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the stop relay at " + socket + ": " + e.getMessage(), e);
        }
    }

    /** Where the debugger connects. */
    public GdbAddress.Unix address() {
        return new GdbAddress.Unix(socket);
    }

    /** The debugger's VM-stopped time of every hit so far. */
    public synchronized List<Long> stoppedNanos() {
        return List.copyOf(stopped);
    }

    private void serve() {
        try {
            debugger = server.accept();
            target = SocketChannel.open(UnixDomainSocketAddress.of(stub));
            Thread back = new Thread(() -> pump(target, debugger, true), "vmiscope-stop-relay-stub");
            back.setDaemon(true);
            threads.add(back);
            back.start();
            pump(debugger, target, false);
        } catch (IOException e) {
            // the debugger went away or the relay was closed: nothing to time any more
        }
    }

    /** Copies {@code from} to {@code to}, looking at the start of each packet. */
    private void pump(SocketChannel from, SocketChannel to, boolean fromStub) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        StringBuilder head = null;
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                for (int i = buffer.position(); i < buffer.limit(); i++) {
                    char c = (char) (buffer.get(i) & 0xff);
                    if (c == '$') {
                        head = new StringBuilder();
                    } else if (head != null && (c == '#' || head.length() == 16)) {
                        packet(head.toString(), fromStub);
                        head = null;
                    } else if (head != null) {
                        head.append(c);
                    }
                }
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
        } catch (IOException e) {
            // one side closed: the other pump ends too when the relay closes
        }
    }

    private synchronized void packet(String head, boolean fromStub) {
        long now = System.nanoTime();
        if (fromStub) {
            if ((head.startsWith("T") || head.startsWith("S")) && stoppedAt < 0) {
                stoppedAt = now;
            }
        } else if (stoppedAt >= 0 && isContinue(head)) {
            if (setupSeen) {
                stopped.add(now - stoppedAt);
            }
            setupSeen = true;
            stoppedAt = -1;
        }
    }

    /** {@code c}, {@code C…}, or {@code vCont;…} whose actions continue without stepping. */
    static boolean isContinue(String head) {
        if (head.startsWith("vCont;")) {
            return !head.contains(";s") && !head.contains(";S") && (head.contains(";c") || head.contains(";C"));
        }
        return head.startsWith("c") || head.startsWith("C");
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {debugger, target, server}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing what is already gone
            }
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // a leftover socket file in a temporary folder
        }
    }
}
