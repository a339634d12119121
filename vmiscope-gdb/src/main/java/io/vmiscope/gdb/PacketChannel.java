package io.vmiscope.gdb;

import io.vmiscope.api.AccessStats;
import io.vmiscope.api.TransportException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * One TCP connection to a GDB stub, at the packet level: framing, acknowledgements with retransmission,
 * request/answer exchanges that set asynchronous stop replies aside, deadlines on every wait, and the
 * cost counters behind {@link AccessStats}.
 *
 * <p>A stop reply is a packet whose first byte is {@code S}, {@code T}, {@code W} or {@code X}. No
 * answer to the commands {@link GdbDriver} sends other than {@code ?}, {@code c} and {@code s} starts
 * with one of these bytes, so while such a command waits for its answer every stop reply is handed to
 * the {@link StopListener} instead of being taken for the answer.
 *
 * <p>After the first {@link TransportException} the channel is broken: every later operation throws
 * again with the first failure's message. Not thread-safe; {@link #close()} may be called from any
 * thread and makes a blocked read fail.
 */
final class PacketChannel implements AutoCloseable {

    /** Receives stop replies that arrive while a command waits for its answer. */
    interface StopListener {
        void stopReply(String payload);
    }

    static final int TIMEOUT = -1;
    private static final int MAX_PAYLOAD_BYTES = 1 << 20;
    private static final int MAX_RETRIES = 3;
    private static final byte[] ACK_BYTE = {PacketCodec.ACK};
    private static final byte[] NAK_BYTE = {PacketCodec.NAK};
    private static final byte[] INTERRUPT_BYTE = {PacketCodec.INTERRUPT};

    private final Socket socket;
    private final String peer;
    private final InputStream in;
    private final OutputStream out;
    private final PacketCodec.Decoder decoder = new PacketCodec.Decoder(MAX_PAYLOAD_BYTES);
    private final byte[] inBuffer = new byte[64 * 1024];
    private final ArrayDeque<byte[]> setAside = new ArrayDeque<>();
    private StopListener stopListener = payload -> { };
    private int inPosition;
    private int inLimit;
    private byte[] frame = new byte[PacketCodec.maxFrameLength(256)];
    private int frameLength;
    private boolean ackMode = true;
    private int badChecksums;
    private byte[] answer;
    private int answerLength;
    private String failure;
    private long roundTrips;
    private long bytesRead;
    private long waitNanos;

    PacketChannel(Socket socket, String peer) throws IOException {
        this.socket = socket;
        this.peer = peer;
        socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * Connects to {@code host:port}.
     *
     * @throws TransportException with a one-line message when nothing accepts the connection in time
     */
    static PacketChannel open(String host, int port, long connectTimeoutMillis) {
        String peer = host + ":" + port;
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, connectTimeoutMillis));
            return new PacketChannel(socket, peer);
        } catch (ConnectException e) {
            closeQuietly(socket);
            throw new TransportException("no GDB stub listening at " + peer + " (connection refused)", e);
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw new TransportException("no GDB stub answered at " + peer + " within " + connectTimeoutMillis
                    + " ms (connect timed out)", e);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new TransportException("cannot connect to GDB stub at " + peer + ": " + e.getMessage(), e);
        }
    }

    String peer() {
        return peer;
    }

    void stopListener(StopListener listener) {
        this.stopListener = listener;
    }

    /** Stops sending and expecting {@code +}/{@code -} (after the stub accepted {@code QStartNoAckMode}). */
    void disableAcks() {
        ackMode = false;
    }

    boolean broken() {
        return failure != null;
    }

    /**
     * Sends {@code command} and waits for its answer, which {@link #answer()} then holds. Counts one
     * round trip and the time spent.
     *
     * @param answerIsStopReply true for commands answered by a stop reply ({@code ?}, {@code c},
     *                          {@code s}); otherwise stop replies are passed to the listener
     * @throws TransportException when no answer arrives before {@code deadlineNanos}
     */
    void request(byte[] command, int length, boolean answerIsStopReply, long deadlineNanos) {
        long start = System.nanoTime();
        send(command, length, deadlineNanos);
        while (true) {
            if (!receive(deadlineNanos)) {
                throw fail("GDB stub at " + peer + " did not answer '" + text(command, length) + "' in time");
            }
            if (answerIsStopReply || !isStopReply(answer, answerLength)) {
                break;
            }
            stopListener.stopReply(answerString());
        }
        roundTrips++;
        waitNanos += System.nanoTime() - start;
    }

    void request(String command, boolean answerIsStopReply, long deadlineNanos) {
        byte[] bytes = command.getBytes(StandardCharsets.ISO_8859_1);
        request(bytes, bytes.length, answerIsStopReply, deadlineNanos);
    }

    /**
     * Sends one packet; in acknowledgement mode waits for {@code +}, retransmitting on {@code -}.
     * Packets that arrive meanwhile are acknowledged and kept for {@link #receive}.
     */
    void send(byte[] payload, int length, long deadlineNanos) {
        checkUsable();
        int needed = PacketCodec.maxFrameLength(length);
        if (frame.length < needed) {
            frame = new byte[Math.max(needed, frame.length * 2)];
        }
        frameLength = PacketCodec.encode(payload, 0, length, frame);
        write(frame, frameLength);
        if (!ackMode) {
            return;
        }
        int retries = 0;
        while (true) {
            int event = nextEvent(deadlineNanos);
            if (event == PacketCodec.Decoder.ACK) {
                return;
            }
            if (event == PacketCodec.Decoder.NAK) {
                if (++retries > MAX_RETRIES) {
                    throw fail("GDB stub at " + peer + " rejected '" + text(payload, length) + "' "
                            + retries + " times (bad checksum on its side)");
                }
                write(frame, frameLength);
            } else if (event == PacketCodec.Decoder.PACKET) {
                setAside.add(Arrays.copyOf(decoder.payload(), decoder.length()));
            } else {
                throw fail("GDB stub at " + peer + " did not acknowledge '" + text(payload, length) + "' in time");
            }
        }
    }

    void send(String payload, long deadlineNanos) {
        byte[] bytes = payload.getBytes(StandardCharsets.ISO_8859_1);
        send(bytes, bytes.length, deadlineNanos);
    }

    /**
     * Waits for the next packet, which {@link #answer()} then holds.
     *
     * @return false when {@code deadlineNanos} passed first (a partly received packet is kept)
     */
    boolean receive(long deadlineNanos) {
        checkUsable();
        byte[] early = setAside.poll();
        if (early != null) {
            answer = early;
            answerLength = early.length;
            return true;
        }
        while (true) {
            int event = nextEvent(deadlineNanos);
            if (event == PacketCodec.Decoder.PACKET) {
                answer = decoder.payload();
                answerLength = decoder.length();
                return true;
            }
            if (event == TIMEOUT) {
                return false;
            }
            if (event == PacketCodec.Decoder.NAK && frameLength > 0) {
                write(frame, frameLength);
            }
        }
    }

    /** Sends the interrupt byte 0x03, which asks a running target to stop. */
    void interrupt() {
        checkUsable();
        write(INTERRUPT_BYTE, 1);
    }

    /** The last packet received (valid up to {@link #answerLength()} until the next receive). */
    byte[] answer() {
        return answer;
    }

    int answerLength() {
        return answerLength;
    }

    String answerString() {
        return new String(answer, 0, answerLength, StandardCharsets.ISO_8859_1);
    }

    boolean answerIsError() {
        return answerLength == 3 && answer[0] == 'E' && PacketCodec.hexValue(answer[1]) >= 0
                && PacketCodec.hexValue(answer[2]) >= 0;
    }

    boolean answerIs(String expected) {
        if (answerLength != expected.length()) {
            return false;
        }
        for (int i = 0; i < answerLength; i++) {
            if (answer[i] != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    void countGuestBytes(long count) {
        bytesRead += count;
    }

    AccessStats stats() {
        return new AccessStats(roundTrips, bytesRead, waitNanos);
    }

    static boolean isStopReply(byte[] payload, int length) {
        if (length == 0) {
            return false;
        }
        byte first = payload[0];
        return first == 'S' || first == 'T' || first == 'W' || first == 'X';
    }

    /** Marks the channel broken with {@code message} and returns the exception to throw. */
    TransportException fail(String message) {
        if (failure == null) {
            failure = message;
        }
        return new TransportException(message);
    }

    @Override
    public void close() {
        if (failure == null) {
            failure = "connection to GDB stub at " + peer + " is closed";
        }
        closeQuietly(socket);
    }

    private int nextEvent(long deadlineNanos) {
        while (true) {
            while (inPosition < inLimit) {
                int event = decoder.feed(inBuffer[inPosition++]);
                switch (event) {
                    case PacketCodec.Decoder.NONE:
                        break;
                    case PacketCodec.Decoder.PACKET:
                        badChecksums = 0;
                        if (ackMode) {
                            write(ACK_BYTE, 1);
                        }
                        return event;
                    case PacketCodec.Decoder.BAD_CHECKSUM:
                        if (++badChecksums > MAX_RETRIES) {
                            throw fail("GDB stub at " + peer + " sent " + badChecksums
                                    + " packets in a row with bad checksums");
                        }
                        if (ackMode) {
                            write(NAK_BYTE, 1);
                        }
                        break;
                    case PacketCodec.Decoder.GARBAGE:
                        throw fail("GDB stub at " + peer + " sent garbage: " + decoder.problem());
                    default:
                        return event;
                }
            }
            if (!fill(deadlineNanos)) {
                return TIMEOUT;
            }
        }
    }

    private boolean fill(long deadlineNanos) {
        long remainingNanos = deadlineNanos - System.nanoTime();
        if (remainingNanos <= 0) {
            return false;
        }
        try {
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, (remainingNanos + 999_999) / 1_000_000)));
            int n = in.read(inBuffer, 0, inBuffer.length);
            if (n < 0) {
                throw fail("GDB stub at " + peer + " closed the connection"
                        + (decoder.insidePacket() ? " in the middle of a packet" : ""));
            }
            inPosition = 0;
            inLimit = n;
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            throw fail("connection to GDB stub at " + peer + " failed: " + e.getMessage());
        }
    }

    private void write(byte[] bytes, int length) {
        try {
            out.write(bytes, 0, length);
        } catch (IOException e) {
            throw fail("connection to GDB stub at " + peer + " failed: " + e.getMessage());
        }
    }

    private void checkUsable() {
        if (failure != null) {
            throw new TransportException(failure);
        }
    }

    private static String text(byte[] bytes, int length) {
        int shown = Math.min(length, 40);
        return new String(bytes, 0, shown, StandardCharsets.ISO_8859_1) + (shown < length ? "…" : "");
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is best effort: the socket is unusable either way.
        }
    }
}
