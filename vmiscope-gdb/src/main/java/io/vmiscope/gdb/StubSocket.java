package io.vmiscope.gdb;

import io.vmiscope.api.TransportException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeUnit;

/**
 * One stream connection to a gdbstub, over TCP or a Unix socket, with a deadline on every wait. The
 * channel is non-blocking behind a {@link Selector}: a blocking {@link SocketChannel} has no read
 * timeout, and Java 17 offers Unix sockets only as channels. A read that finds no data waits in the
 * selector, so a wait costs the same system calls as a {@code java.net.Socket} with {@code SO_TIMEOUT}
 * (a read, a poll, a read). TCP connections set {@code TCP_NODELAY}.
 *
 * <p>Not thread-safe, except {@link #close()}, which may come from any thread: a read or write waiting
 * meanwhile fails at once with an {@link IOException}.
 */
final class StubSocket implements AutoCloseable {

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final long writeTimeoutNanos;

    private StubSocket(SocketChannel channel, Selector selector, long writeTimeoutNanos) throws ClosedChannelException {
        this.channel = channel;
        this.selector = selector;
        this.key = channel.register(selector, SelectionKey.OP_READ);
        this.writeTimeoutNanos = writeTimeoutNanos;
    }

    /**
     * Connects to {@code address}.
     *
     * @param writeTimeoutMillis how long a write may wait for room in the socket's buffer
     * @throws TransportException with a one-line message naming the stub when nothing accepts the
     *         connection within {@code connectTimeoutMillis}, or it is refused or not permitted
     */
    static StubSocket open(GdbAddress address, long connectTimeoutMillis, long writeTimeoutMillis) {
        SocketChannel channel = null;
        Selector selector = null;
        try {
            SocketAddress remote;
            if (address instanceof GdbAddress.Unix unix) {
                channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                remote = UnixDomainSocketAddress.of(unix.path());
            } else {
                GdbAddress.Tcp tcp = (GdbAddress.Tcp) address;
                channel = SocketChannel.open();
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                remote = new InetSocketAddress(tcp.host(), tcp.port());
            }
            channel.configureBlocking(false);
            selector = Selector.open();
            if (!channel.connect(remote)) {
                awaitConnected(channel, selector, address, connectTimeoutMillis);
            }
            return new StubSocket(channel, selector, TimeUnit.MILLISECONDS.toNanos(writeTimeoutMillis));
        } catch (ConnectException e) {
            closeQuietly(channel, selector);
            throw new TransportException("no GDB stub listening at " + address + " (connection refused)", e);
        } catch (SocketTimeoutException e) {
            closeQuietly(channel, selector);
            throw new TransportException("no GDB stub answered at " + address + " within " + connectTimeoutMillis
                    + " ms (connect timed out)", e);
        } catch (UnresolvedAddressException e) {
            closeQuietly(channel, selector);
            throw new TransportException("cannot connect to GDB stub at " + address + ": unknown host", e);
        } catch (IOException e) {
            closeQuietly(channel, selector);
            throw new TransportException("cannot connect to GDB stub at " + address + ": " + e.getMessage(), e);
        }
    }

    private static void awaitConnected(SocketChannel channel, Selector selector, GdbAddress address,
                                       long timeoutMillis) throws IOException {
        channel.register(selector, SelectionKey.OP_CONNECT);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!channel.finishConnect()) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new SocketTimeoutException("connect to " + address + " timed out");
            }
            selector.select(toMillis(remaining));
            selector.selectedKeys().clear();
        }
    }

    /**
     * Reads what has arrived, waiting for data until {@code deadlineNanos} ({@link System#nanoTime()}).
     *
     * @return the number of bytes read into {@code into}; 0 when the deadline passed first, -1 when the
     *         stub closed the connection
     */
    int read(ByteBuffer into, long deadlineNanos) throws IOException {
        while (true) {
            int n = channel.read(into);
            if (n != 0) {
                return n;
            }
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                return 0;
            }
            await(SelectionKey.OP_READ, remaining);
        }
    }

    /**
     * Writes {@code bytes[offset, offset + length)}, waiting for room at most the write timeout.
     *
     * @throws SocketTimeoutException when the stub reads nothing for that long
     */
    void write(byte[] bytes, int offset, int length) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(bytes, offset, length);
        long deadline = System.nanoTime() + writeTimeoutNanos;
        while (true) {
            channel.write(out);
            if (!out.hasRemaining()) {
                return;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new SocketTimeoutException("the stub took no data for "
                        + TimeUnit.NANOSECONDS.toMillis(writeTimeoutNanos) + " ms");
            }
            await(SelectionKey.OP_WRITE, remaining);
        }
    }

    /** Waits in the selector for {@code operation} (or a wake-up) for at most {@code nanos}. */
    private void await(int operation, long nanos) throws IOException {
        try {
            if (key.interestOps() != operation) {
                key.interestOps(operation);
            }
            selector.select(toMillis(nanos));
            selector.selectedKeys().clear();
        } catch (ClosedSelectorException | CancelledKeyException e) {
            throw new ClosedChannelException();
        }
    }

    private static long toMillis(long nanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
    }

    /** Closes the connection; idempotent, from any thread. */
    @Override
    public void close() {
        closeQuietly(channel, selector);
    }

    private static void closeQuietly(AutoCloseable... closeables) {
        for (AutoCloseable c : closeables) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception ignored) {
                // Closing is best effort: the connection is unusable either way.
            }
        }
    }
}
