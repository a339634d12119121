package io.vmiscope.guest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.vmiscope.api.TransportException;

/**
 * A line-oriented client of a Unix domain socket with deadlines on every read and write (a blocking
 * {@link SocketChannel} has no read timeout, so this one is non-blocking behind a {@link Selector}).
 * Lines end at {@code \n}; a line longer than the cap is a protocol failure. Not thread-safe: the
 * owner serialises access. Failures are {@link TransportException}s; after one, close the channel.
 */
final class UnixLineChannel implements AutoCloseable {

    private static final Duration CONNECT_RETRY = Duration.ofMillis(50);

    private final Path path;
    private final SocketChannel channel;
    private final Selector selector;
    private final int maxLineBytes;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private UnixLineChannel(Path path, SocketChannel channel, int maxLineBytes) throws IOException {
        this.path = path;
        this.channel = channel;
        this.maxLineBytes = maxLineBytes;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        readBuffer.flip();
    }

    /** Connects, retrying while the socket does not exist yet or refuses, until {@code deadline}. */
    static UnixLineChannel connect(Path path, Instant deadline, int maxLineBytes) {
        IOException last = null;
        do {
            SocketChannel channel = null;
            try {
                channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                channel.connect(UnixDomainSocketAddress.of(path));
                return new UnixLineChannel(path, channel, maxLineBytes);
            } catch (IOException e) {
                last = e;
                closeQuietly(channel);
            }
            sleep(CONNECT_RETRY);
        } while (Instant.now().isBefore(deadline));
        throw new TransportException("cannot connect to " + path + ": " + last.getMessage(), last);
    }

    Path path() {
        return path;
    }

    void write(byte[] bytes, Instant deadline) {
        ByteBuffer out = ByteBuffer.wrap(bytes);
        try {
            SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
            while (out.hasRemaining()) {
                if (channel.write(out) == 0) {
                    awaitReady(key, deadline, "write to");
                }
            }
        } catch (IOException e) {
            throw new TransportException("cannot write to " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * The next line without its {@code \n}, or empty when the deadline passes first (the partial
     * line is kept for the next call).
     *
     * @throws TransportException when the peer closed the socket or the line is over the cap
     */
    Optional<byte[]> readLine(Instant deadline) {
        try {
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            while (true) {
                while (readBuffer.hasRemaining()) {
                    byte b = readBuffer.get();
                    if (b == '\n') {
                        byte[] complete = line.toByteArray();
                        line.reset();
                        return Optional.of(complete);
                    }
                    if (line.size() >= maxLineBytes) {
                        throw new TransportException(path + " sent a line longer than " + maxLineBytes + " bytes");
                    }
                    line.write(b);
                }
                readBuffer.clear();
                int n = channel.read(readBuffer);
                readBuffer.flip();
                if (n < 0) {
                    throw new TransportException(path + " closed the connection");
                }
                if (n == 0 && !awaitReady(key, deadline, null)) {
                    return Optional.empty();
                }
            }
        } catch (IOException e) {
            throw new TransportException("cannot read from " + path + ": " + e.getMessage(), e);
        }
    }

    /** Waits for the key's operation; false (or a timeout exception when {@code verb} is set) at the deadline. */
    private boolean awaitReady(SelectionKey key, Instant deadline, String verb) throws IOException {
        long millis = Duration.between(Instant.now(), deadline).toMillis();
        boolean ready = millis > 0 && selector.select(millis) > 0;
        selector.selectedKeys().clear();
        if (ready) {
            return key.isValid();
        }
        boolean timeLeft = Instant.now().isBefore(deadline);
        if (!timeLeft && verb != null) {
            throw new TransportException("timed out trying to " + verb + " " + path);
        }
        return timeLeft;
    }

    @Override
    public void close() {
        closeQuietly(selector);
        closeQuietly(channel);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // A failing close of a socket being discarded leaves nothing to clean up.
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted", e);
        }
    }
}
