package io.vmiscope.gdb;

import io.vmiscope.api.AccessStats;
import io.vmiscope.api.TransportException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One connection to a GDB stub ({@link StubSocket}: TCP or a Unix socket), at the packet level: framing, acknowledgements with retransmission,
 * request/answer exchanges that set asynchronous stop replies aside, pipelined batches of requests
 * ({@link #pipeline}), deadlines on every wait, and the cost counters behind {@link AccessStats}.
 *
 * <p>A stop reply is a packet whose first byte is {@code S}, {@code T}, {@code W} or {@code X}. No
 * answer to the commands {@link GdbDriver} sends other than {@code ?}, {@code c} and {@code s} starts
 * with one of these bytes, so while such a command waits for its answer every stop reply is handed to
 * the {@link StopListener} instead of being taken for the answer.
 *
 * <p>Acknowledgements of received packets are deferred until the channel next writes or is about to
 * block on reading, so a burst of answers is acknowledged with one write, never later than a stub that
 * waits for them could need them.
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

    /**
     * The commands of a {@link #pipeline} batch, produced when they are sent, and the consumer of their
     * answers. Commands are numbered {@code 0 .. size()-1}; a command may be asked for more than once
     * (when it is sent again) and must then describe what is still missing.
     */
    interface Batch {

        /** Number of commands in the batch. */
        int size();

        /**
         * Writes the payload of command {@code index} into {@code out} (at least
         * {@link #MAX_BATCH_COMMAND_BYTES} long).
         *
         * @return the payload length, or -1 to leave the command out (its answer is no longer needed)
         */
        int command(int index, byte[] out);

        /**
         * Takes the answer to command {@code index}, valid in {@code payload[0, length)} only during the
         * call. Never called with a stop reply.
         *
         * @return true when the command is done; false to have it sent again (for the rest of a partial
         *         answer), in which case {@link #command} is asked anew
         */
        boolean answer(int index, byte[] payload, int length);
    }

    /** The longest command payload a {@link Batch} may produce. */
    static final int MAX_BATCH_COMMAND_BYTES = 64;
    /**
     * At most this many commands of a batch are outstanding before the channel waits for their answers.
     * With the byte limit below this keeps what one window sends far below the socket buffers of either
     * side, so neither side can block on writing while the other blocks on writing too (QEMU writes its
     * answers with a blocking write and reads no more commands meanwhile).
     */
    static final int MAX_PIPELINED_COMMANDS = 64;
    /** At most about this many frame bytes of a batch are outstanding (see {@link #MAX_PIPELINED_COMMANDS}). */
    static final int MAX_PIPELINED_BYTES = 16 * 1024;
    static final int TIMEOUT = -1;
    private static final int MAX_PAYLOAD_BYTES = 1 << 20;
    private static final int MAX_RETRIES = 3;
    private static final byte[] ACK_BYTE = {PacketCodec.ACK};
    private static final byte[] NAK_BYTE = {PacketCodec.NAK};
    private static final byte[] INTERRUPT_BYTE = {PacketCodec.INTERRUPT};

    private final StubSocket socket;
    private final String peer;
    private final PacketCodec.Decoder decoder = new PacketCodec.Decoder(MAX_PAYLOAD_BYTES);
    private final byte[] inBuffer = new byte[64 * 1024];
    private final ByteBuffer inView = ByteBuffer.wrap(inBuffer);
    private final ArrayDeque<byte[]> setAside = new ArrayDeque<>();
    private final byte[] batchCommand = new byte[MAX_BATCH_COMMAND_BYTES];
    private byte[] windowFrames = new byte[PacketCodec.maxFrameLength(MAX_BATCH_COMMAND_BYTES) * 8];
    private byte[] outStage = new byte[256];
    private int pendingAcks;
    private int windowCommands;
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
    private long requests;
    private long bytesRead;
    private long waitNanos;

    PacketChannel(StubSocket socket, String peer) {
        this.socket = socket;
        this.peer = peer;
    }

    /**
     * Connects to {@code address}; a write waits for room at most {@code writeTimeoutMillis}.
     *
     * @throws TransportException with a one-line message when nothing accepts the connection in time
     */
    static PacketChannel open(GdbAddress address, long connectTimeoutMillis, long writeTimeoutMillis) {
        return new PacketChannel(StubSocket.open(address, connectTimeoutMillis, writeTimeoutMillis), address.toString());
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
     * round trip, one request and the time spent.
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
                throw fail("GDB stub at " + peer + " did not answer '" + text(command, 0, length) + "' in time");
            }
            if (answerIsStopReply || !isStopReply(answer, answerLength)) {
                break;
            }
            stopListener.stopReply(answerString());
        }
        roundTrips++;
        requests++;
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
        frameLength = PacketCodec.encode(payload, 0, length, frameBuffer(length));
        write(frame, frameLength);
        if (!ackMode) {
            return;
        }
        int retries = 0;
        while (true) {
            int event = nextEvent(deadlineNanos);
            if (event == PacketCodec.Decoder.ACK) {
                flushAcks();
                return;
            }
            if (event == PacketCodec.Decoder.NAK) {
                if (++retries > MAX_RETRIES) {
                    throw fail("GDB stub at " + peer + " rejected '" + text(payload, 0, length) + "' "
                            + retries + " times (bad checksum on its side)");
                }
                write(frame, frameLength);
            } else if (event == PacketCodec.Decoder.PACKET) {
                setAside.add(Arrays.copyOf(decoder.payload(), decoder.length()));
            } else {
                throw fail("GDB stub at " + peer + " did not acknowledge '" + text(payload, 0, length) + "' in time");
            }
        }
    }

    /**
     * Sends one packet that has no answer (a continue) without waiting for its acknowledgement: the VM
     * runs as soon as the stub has read it. The {@code +} is consumed by the next {@link #receive}; a
     * {@code -} there makes it send the packet again, as {@link #send} would.
     */
    void sendWithoutWaiting(String payload) {
        checkUsable();
        byte[] bytes = payload.getBytes(StandardCharsets.ISO_8859_1);
        frameLength = PacketCodec.encode(bytes, 0, bytes.length, frameBuffer(bytes.length));
        write(frame, frameLength);
    }

    void send(String payload, long deadlineNanos) {
        byte[] bytes = payload.getBytes(StandardCharsets.ISO_8859_1);
        send(bytes, bytes.length, deadlineNanos);
    }

    /**
     * Sends the commands of {@code batch} back to back and reads their answers in order, in windows of
     * at most {@link #MAX_PIPELINED_COMMANDS} commands and about {@link #MAX_PIPELINED_BYTES} frame
     * bytes: each window is one write followed by one wait for all its answers. Counts a round trip per
     * window, a request per answer, and the time from each window's write to its last answer.
     *
     * <p>This needs a stub that answers each command as soon as it has parsed it, without waiting for
     * the client's acknowledgement of its previous answer. QEMU's system-mode stub does: its
     * {@code put_packet_binary} waits for {@code +} only in user mode, and {@code gdb_read_byte} writes
     * {@code +} (or {@code -}) for a command before handling it. In acknowledgement mode the stream is
     * therefore {@code + answer1 + answer2 …}, and the answers are paired with the commands by that
     * structure, never by order alone:
     * <ul>
     *   <li>a stop reply, wherever it arrives, goes to the {@link StopListener} and is no answer;</li>
     *   <li>a command the stub rejects with {@code -} (it then drops the command) is sent again in a
     *       later window, at most {@value #MAX_RETRIES} times;</li>
     *   <li>an answer before the acknowledgement, an acknowledgement where an answer is due, or a
     *       packet with a bad checksum in a window of several commands is a
     *       {@link TransportException}: a stub retransmits only its latest packet on {@code -} (and
     *       QEMU forgets even that one on the {@code +} for an earlier answer), so a damaged answer in
     *       a window cannot be asked for again. In a window of one command a bad checksum is answered
     *       with {@code -} as in {@link #request}.</li>
     * </ul>
     *
     * @param answerTimeoutNanos how long to wait for each acknowledgement and each answer
     * @throws TransportException as above and on timeouts; the channel is then broken. {@code batch}
     *         must throw only through {@link #fail}, since the answers still outstanding are not read.
     */
    void pipeline(Batch batch, long answerTimeoutNanos) {
        checkUsable();
        deliverSetAsideStopReplies();
        ArrayDeque<Integer> again = new ArrayDeque<>();
        Map<Integer, Integer> rejections = new HashMap<>();
        int[] window = new int[MAX_PIPELINED_COMMANDS];
        int[] frameStarts = new int[MAX_PIPELINED_COMMANDS + 1];
        int size = batch.size();
        int next = 0;
        try {
            while (true) {
                int count = 0;
                int bytes = 0;
                while (count < MAX_PIPELINED_COMMANDS && bytes < MAX_PIPELINED_BYTES) {
                    int index;
                    if (!again.isEmpty()) {
                        index = again.poll();
                    } else if (next < size) {
                        index = next++;
                    } else {
                        break;
                    }
                    int length = batch.command(index, batchCommand);
                    if (length < 0) {
                        continue;
                    }
                    int frameBytes = PacketCodec.encode(batchCommand, 0, length, frameBuffer(length));
                    if (windowFrames.length < bytes + frameBytes) {
                        windowFrames = Arrays.copyOf(windowFrames, Math.max(bytes + frameBytes, 2 * windowFrames.length));
                    }
                    System.arraycopy(frame, 0, windowFrames, bytes, frameBytes);
                    frameStarts[count] = bytes;
                    window[count++] = index;
                    bytes += frameBytes;
                }
                if (count == 0) {
                    flushAcks();
                    return;
                }
                frameStarts[count] = bytes;
                // A stray '-' later must not resend a frame of an earlier exchange.
                frameLength = 0;
                long start = System.nanoTime();
                windowCommands = count;
                write(windowFrames, bytes);
                for (int k = 0; k < count; k++) {
                    int index = window[k];
                    String command = windowText(frameStarts[k], frameStarts[k + 1]);
                    if (ackMode && !awaitAcknowledgement(command, answerTimeoutNanos)) {
                        int rejected = rejections.merge(index, 1, Integer::sum);
                        if (rejected > MAX_RETRIES) {
                            throw fail("GDB stub at " + peer + " rejected '" + command + "' " + rejected
                                    + " times (bad checksum on its side)");
                        }
                        again.add(index);
                    } else {
                        awaitBatchAnswer(command, answerTimeoutNanos);
                        requests++;
                        if (!batch.answer(index, answer, answerLength)) {
                            again.add(index);
                        }
                    }
                }
                roundTrips++;
                waitNanos += System.nanoTime() - start;
            }
        } finally {
            windowCommands = 0;
        }
    }

    /** Waits for the stub's {@code +} or {@code -} for a pipelined command; true for {@code +}. */
    private boolean awaitAcknowledgement(String command, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            int event = nextEvent(deadline);
            if (event == PacketCodec.Decoder.ACK) {
                return true;
            }
            if (event == PacketCodec.Decoder.NAK) {
                return false;
            }
            if (event != PacketCodec.Decoder.PACKET) {
                throw fail("GDB stub at " + peer + " did not acknowledge '" + command + "' in time");
            }
            if (!isStopReply(decoder.payload(), decoder.length())) {
                throw fail("GDB stub at " + peer + " sent '" + text(decoder.payload(), 0, decoder.length())
                        + "' before acknowledging '" + command + "'");
            }
            stopListener.stopReply(new String(decoder.payload(), 0, decoder.length(), StandardCharsets.ISO_8859_1));
        }
    }

    /** Waits for the answer to a pipelined command, which {@link #answer()} then holds. */
    private void awaitBatchAnswer(String command, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            int event = nextEvent(deadline);
            if (event == PacketCodec.Decoder.PACKET) {
                if (!isStopReply(decoder.payload(), decoder.length())) {
                    answer = decoder.payload();
                    answerLength = decoder.length();
                    return;
                }
                stopListener.stopReply(new String(decoder.payload(), 0, decoder.length(), StandardCharsets.ISO_8859_1));
            } else if (event == TIMEOUT) {
                throw fail("GDB stub at " + peer + " did not answer '" + command + "' in time");
            } else {
                throw fail("GDB stub at " + peer + " sent '" + (event == PacketCodec.Decoder.ACK ? '+' : '-')
                        + "' where the answer to '" + command + "' was due");
            }
        }
    }

    /** Hands stop replies that arrived before an acknowledgement to the listener before a batch starts. */
    private void deliverSetAsideStopReplies() {
        while (!setAside.isEmpty()) {
            byte[] early = setAside.poll();
            if (!isStopReply(early, early.length)) {
                throw fail("GDB stub at " + peer + " sent '" + text(early, 0, early.length) + "' when no answer was due");
            }
            stopListener.stopReply(new String(early, StandardCharsets.ISO_8859_1));
        }
    }

    /** The payload of the frame in {@code windowFrames[start, end)}, shortened for messages. */
    private String windowText(int start, int end) {
        return text(windowFrames, start + 1, end - start - 4);
    }

    /** The {@link #frame} buffer, grown to hold a frame of a {@code payloadLength}-byte payload. */
    private byte[] frameBuffer(int payloadLength) {
        int needed = PacketCodec.maxFrameLength(payloadLength);
        if (frame.length < needed) {
            frame = new byte[Math.max(needed, frame.length * 2)];
        }
        return frame;
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
                flushAcks();
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
        return isErrorAnswer(answer, answerLength);
    }

    /** True for an error answer {@code Enn} (two hex digits). */
    static boolean isErrorAnswer(byte[] payload, int length) {
        return length == 3 && payload[0] == 'E' && PacketCodec.hexValue(payload[1]) >= 0
                && PacketCodec.hexValue(payload[2]) >= 0;
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
        return new AccessStats(roundTrips, requests, bytesRead, waitNanos);
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
        socket.close();
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
                            pendingAcks++;
                        }
                        return event;
                    case PacketCodec.Decoder.BAD_CHECKSUM:
                        if (windowCommands > 1) {
                            // The stub would resend only its latest packet, and our acknowledgements of
                            // earlier answers may already have discarded even that one.
                            throw fail("GDB stub at " + peer + " sent a packet with a bad checksum among the answers to "
                                    + windowCommands + " pipelined commands");
                        }
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
        flushAcks();
        long remainingNanos = deadlineNanos - System.nanoTime();
        if (remainingNanos <= 0) {
            return false;
        }
        try {
            inView.clear();
            int n = socket.read(inView, deadlineNanos);
            if (n == 0) {
                return false;
            }
            if (n < 0) {
                throw fail("GDB stub at " + peer + " closed the connection"
                        + (decoder.insidePacket() ? " in the middle of a packet" : ""));
            }
            inPosition = 0;
            inLimit = n;
            return true;
        } catch (IOException e) {
            throw fail("connection to GDB stub at " + peer + " failed: " + e.getMessage());
        }
    }

    /** Writes the deferred acknowledgements, if any. */
    private void flushAcks() {
        if (pendingAcks > 0) {
            write(ACK_BYTE, 0);
        }
    }

    /** Writes the deferred acknowledgements and then {@code bytes[0, length)}, in one write. */
    private void write(byte[] bytes, int length) {
        int acks = pendingAcks;
        pendingAcks = 0;
        try {
            if (acks == 0) {
                socket.write(bytes, 0, length);
                return;
            }
            int total = acks + length;
            if (outStage.length < total) {
                outStage = new byte[Math.max(total, 2 * outStage.length)];
            }
            Arrays.fill(outStage, 0, acks, PacketCodec.ACK);
            System.arraycopy(bytes, 0, outStage, acks, length);
            socket.write(outStage, 0, total);
        } catch (IOException e) {
            throw fail("connection to GDB stub at " + peer + " failed: " + e.getMessage());
        }
    }

    private void checkUsable() {
        if (failure != null) {
            throw new TransportException(failure);
        }
    }

    private static String text(byte[] bytes, int offset, int length) {
        int shown = Math.min(length, 40);
        return new String(bytes, offset, shown, StandardCharsets.ISO_8859_1) + (shown < length ? "…" : "");
    }
}
