package io.vmiscope.gdb;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A scripted GDB stub in a test thread: accepts one connection per {@link Script}, replays the script's
 * steps (expect a packet, answer, send raw bytes, hang up) and records every deviation. After the last
 * script it closes its server socket, so further connections are refused. Replies are framed here
 * without the production codec, so transcripts check the client byte for byte. It listens on a loopback
 * TCP port ({@link #start}) or on a Unix socket ({@link #startUnix}); on a Unix socket reads have no
 * timeout, so a client that neither hangs up nor sends leaves the script running ({@link #problems()}
 * says so after 10 s).
 */
final class FakeStub implements AutoCloseable {

    /** A small QEMU-like target description: rax..rip numbered 0.., then cr0/cr3 from an include. */
    static final String TARGET_XML = "<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
            + "<target><architecture>i386:x86-64</architecture><xi:include href=\"core.xml\"/></target>";
    static final String CORE_XML = "<?xml version=\"1.0\"?><feature name=\"org.gnu.gdb.i386.core\">"
            + "<reg name=\"rax\" bitsize=\"64\" regnum=\"0\"/><reg name=\"rbx\" bitsize=\"64\"/>"
            + "<reg name=\"st0\" bitsize=\"80\"/><reg name=\"rip\" bitsize=\"64\"/>"
            + "<reg name=\"cr0\" bitsize=\"64\"/><reg name=\"cr3\" bitsize=\"64\"/></feature>";
    static final String QSUPPORTED = "qSupported:multiprocess+;swbreak+;hwbreak+;vContSupported+";

    /** One accepted connection: its streams, and a read timeout where the socket has one. */
    private record Peer(Closeable socket, InputStream in, OutputStream out, ReadTimeout timeout) {
    }

    private interface ReadTimeout {
        void set(int millis) throws IOException;
    }

    private interface Listener extends Closeable {
        Peer accept() throws IOException;
    }

    private final Listener server;
    private final GdbAddress address;
    private final Thread thread;
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();

    private FakeStub(Listener server, GdbAddress address, List<Script> scripts) {
        this.server = server;
        this.address = address;
        thread = new Thread(() -> serve(scripts), "fake-gdb-stub");
        thread.setDaemon(true);
        thread.start();
    }

    /** A stub on a free loopback TCP port. */
    static FakeStub start(Script... scripts) throws IOException {
        ServerSocket tcp = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        Listener listener = new Listener() {
            @Override
            public Peer accept() throws IOException {
                Socket socket = tcp.accept();
                socket.setSoTimeout(5000);
                socket.setTcpNoDelay(true);
                return new Peer(socket, socket.getInputStream(), socket.getOutputStream(), socket::setSoTimeout);
            }

            @Override
            public void close() throws IOException {
                tcp.close();
            }
        };
        return new FakeStub(listener, new GdbAddress.Tcp("127.0.0.1", tcp.getLocalPort()), List.of(scripts));
    }

    /** A stub on a new Unix socket at {@code path}. */
    static FakeStub startUnix(Path path, Script... scripts) throws IOException {
        ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        unix.bind(UnixDomainSocketAddress.of(path), 4);
        Listener listener = new Listener() {
            @Override
            public Peer accept() throws IOException {
                SocketChannel channel = unix.accept();
                return new Peer(channel, Channels.newInputStream(channel), Channels.newOutputStream(channel),
                        millis -> { });
            }

            @Override
            public void close() throws IOException {
                unix.close();
            }
        };
        return new FakeStub(listener, new GdbAddress.Unix(path), List.of(scripts));
    }

    /** Where the stub listens. */
    GdbAddress address() {
        return address;
    }

    /** The TCP port of a stub from {@link #start}. */
    int port() {
        return ((GdbAddress.Tcp) address).port();
    }

    /** Waits for the scripts to end and returns what went differently than scripted (empty: all as planned). */
    List<String> problems() throws InterruptedException {
        thread.join(TimeUnit.SECONDS.toMillis(10));
        if (thread.isAlive()) {
            problems.add("script still running");
        }
        return problems;
    }

    /** Every packet payload the client sent, in order, over all connections. */
    List<String> received() {
        return received;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void serve(List<Script> scripts) {
        try {
            for (Script script : scripts) {
                Peer peer = server.accept();
                try (Closeable socket = peer.socket()) {
                    new Session(peer, script).run();
                }
            }
        } catch (IOException | RuntimeException e) {
            problems.add(e.toString());
        } finally {
            try {
                server.close();
            } catch (IOException ignored) {
                // The test ends either way.
            }
        }
    }

    /** What the stub does on one connection, step by step. */
    static final class Script {
        private final List<Step> steps = new ArrayList<>();
        private boolean drain = true;

        static Script of() {
            return new Script();
        }

        /** QEMU 7.2's handshake for a stopped VM with two vCPUs and {@link #TARGET_XML}. */
        static Script qemuHandshake() {
            return of().expect("?").reply("T05thread:p01.01;")
                    .expect(QSUPPORTED).reply("PacketSize=1000;qXfer:features:read+;vContSupported+;multiprocess+")
                    .afterQSupported();
        }

        /** The handshake from {@code vCont?} on. */
        Script afterQSupported() {
            return expect("vCont?").reply("vCont;c;C;s;S")
                    .expect("qXfer:features:read:target.xml:0,ffb").reply("l" + TARGET_XML)
                    .expect("qXfer:features:read:core.xml:0,ffb").reply("m" + CORE_XML.substring(0, 100))
                    .expect("qXfer:features:read:core.xml:64,ffb").reply("l" + CORE_XML.substring(100))
                    .expect("qfThreadInfo").reply("mp01.01")
                    .expect("qsThreadInfo").reply("mp01.02")
                    .expect("qsThreadInfo").reply("l")
                    .expect("Qqemu.PhyMemMode:1").reply("OK");
        }

        /** What {@link GdbDriver#close()} sends for a stopped VM without breakpoints. */
        Script detach() {
            return expect("Qqemu.PhyMemMode:0").reply("OK").expect("D;1").reply("OK");
        }

        /**
         * What {@link GdbDriver#release} sends, as {@link GdbDriver#close()} does over a fresh connection
         * after the first one broke.
         */
        static Script rescue() {
            return of().expect("?").reply("T05thread:p01.01;").expect("Qqemu.PhyMemMode:0").reply("OK")
                    .expect("D;1").reply("OK");
        }

        /** Reads the next packet (skipping acks), acknowledges it, and checks its payload. */
        Script expect(String payload) {
            steps.add(s -> s.expect(payload, PacketCodec.ACK));
            return this;
        }

        /**
         * Reads the next packets (skipping acks) without acknowledging them and checks their payloads:
         * since the stub answers nothing before it has read them all, the client must have sent the
         * whole burst before waiting for an answer. Acknowledge them afterwards with {@link #ack()} or
         * {@link #nak()} each, as QEMU does just before answering each one.
         */
        Script expectBurst(String... payloads) {
            List<String> expected = List.of(payloads);
            steps.add(s -> s.expectBurst(expected));
            return this;
        }

        /** Sends {@code +}. */
        Script ack() {
            return raw("+");
        }

        /** Sends {@code -}: QEMU then drops the command and goes on with the next one. */
        Script nak() {
            return raw("-");
        }

        /** Like {@link #expect} but answers {@code -}, asking the client to send it again. */
        Script expectAndReject(String payload) {
            steps.add(s -> s.expect(payload, PacketCodec.NAK));
            return this;
        }

        /** Reads the next byte outside packets (skipping acks) and checks it is {@code -}. */
        Script expectNak() {
            steps.add(s -> s.expectByte(PacketCodec.NAK));
            return this;
        }

        Script expectInterrupt() {
            steps.add(s -> s.expectByte(PacketCodec.INTERRUPT));
            return this;
        }

        /** Sends {@code $payload#cs} (payload bytes as given: escape or compress them in the string). */
        Script reply(String payload) {
            steps.add(s -> s.write(frame(payload, 0)));
            return this;
        }

        /** Sends the packet with its checksum off by one. */
        Script replyWithBadChecksum(String payload) {
            steps.add(s -> s.write(frame(payload, 1)));
            return this;
        }

        Script raw(String bytes) {
            steps.add(s -> s.write(bytes.getBytes(StandardCharsets.ISO_8859_1)));
            return this;
        }

        /** Stops acknowledging (after {@code QStartNoAckMode}). */
        Script noAcks() {
            steps.add(s -> s.acks = false);
            return this;
        }

        Script pause(long millis) {
            steps.add(s -> sleep(millis));
            return this;
        }

        /** Ends the connection right after the last step instead of waiting for the client to hang up. */
        Script hangUp() {
            drain = false;
            return this;
        }

        static byte[] frame(String payload, int checksumError) {
            int sum = checksumError;
            for (byte b : payload.getBytes(StandardCharsets.ISO_8859_1)) {
                sum += b & 0xff;
            }
            return ("$" + payload + "#" + String.format("%02x", sum & 0xff)).getBytes(StandardCharsets.ISO_8859_1);
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private interface Step {
        void run(Session session) throws IOException;
    }

    private final class Session {
        private final Peer peer;
        private final Script script;
        private final InputStream in;
        private final OutputStream out;
        private final PacketCodec.Decoder decoder = new PacketCodec.Decoder(1 << 20);
        private boolean acks = true;

        Session(Peer peer, Script script) {
            this.peer = peer;
            this.script = script;
            this.in = peer.in();
            this.out = peer.out();
        }

        void run() throws IOException {
            int index = 0;
            for (Step step : script.steps) {
                try {
                    step.run(this);
                } catch (IOException | AssertionError e) {
                    problems.add("step " + index + ": " + e.getMessage());
                    return;
                }
                index++;
            }
            if (script.drain) {
                drain();
            }
        }

        /** After the script: anything but acks until the client hangs up is a problem. */
        private void drain() throws IOException {
            peer.timeout().set(3000);
            try {
                while (true) {
                    int event = nextEvent();
                    if (event == PacketCodec.Decoder.PACKET) {
                        problems.add("unscripted packet: " + payload());
                        return;
                    }
                    if (event != PacketCodec.Decoder.ACK) {
                        problems.add("unscripted byte after the script");
                        return;
                    }
                }
            } catch (EndOfStream end) {
                // The client hung up: as planned.
            } catch (SocketTimeoutException e) {
                problems.add("client neither hung up nor sent anything after the script");
            }
        }

        void expect(String payload, byte answer) throws IOException {
            int event = nextEventSkippingAcks();
            if (event != PacketCodec.Decoder.PACKET) {
                throw new AssertionError("expected packet '" + payload + "' but got event " + event);
            }
            String got = payload();
            received.add(got);
            if (acks) {
                write(new byte[] {answer});
            }
            if (!got.equals(payload)) {
                throw new AssertionError("expected packet '" + payload + "' but got '" + got + "'");
            }
        }

        void expectBurst(List<String> expected) throws IOException {
            List<String> got = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) {
                int event = nextEventSkippingAcks();
                if (event != PacketCodec.Decoder.PACKET) {
                    throw new AssertionError("expected packet " + (i + 1) + " of burst " + expected
                            + " but got event " + event + " after " + got);
                }
                got.add(payload());
                received.add(payload());
            }
            if (!got.equals(expected)) {
                throw new AssertionError("expected burst " + expected + " but got " + got);
            }
        }

        void expectByte(byte expected) throws IOException {
            int event = nextEventSkippingAcks();
            int wanted = expected == PacketCodec.NAK ? PacketCodec.Decoder.NAK : INTERRUPT_EVENT;
            if (event != wanted) {
                throw new AssertionError("expected byte " + expected + " but got event " + event);
            }
        }

        void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        private int nextEventSkippingAcks() throws IOException {
            while (true) {
                int event = nextEvent();
                if (event != PacketCodec.Decoder.ACK) {
                    return event;
                }
            }
        }

        private int nextEvent() throws IOException {
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EndOfStream();
                }
                if (b == PacketCodec.INTERRUPT && !decoder.insidePacket()) {
                    return INTERRUPT_EVENT;
                }
                int event = decoder.feed((byte) b);
                if (event != PacketCodec.Decoder.NONE) {
                    return event;
                }
            }
        }

        private String payload() {
            return new String(decoder.payload(), 0, decoder.length(), StandardCharsets.ISO_8859_1);
        }
    }

    private static final int INTERRUPT_EVENT = 100;

    private static final class EndOfStream extends IOException {
        private static final long serialVersionUID = 1L;

        EndOfStream() {
            super("client closed the connection");
        }
    }
}
