package io.vmiscope.gdb;

import io.vmiscope.api.AccessStats;
import io.vmiscope.api.Gpa;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.GuestConnection;
import io.vmiscope.api.Gva;
import io.vmiscope.api.Hex;
import io.vmiscope.api.PhysicalRead;
import io.vmiscope.api.StopEvent;
import io.vmiscope.api.TransportException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link GuestConnection} over QEMU's GDB stub ({@code -gdb unix:PATH,server=on,wait=off} or
 * {@code -gdb tcp:HOST:PORT}, see {@link GdbAddress}): physical memory through
 * QEMU's physical-memory mode, registers by the names of the stub's target description, breakpoints,
 * and stop/resume of the whole VM.
 *
 * <p><b>Lifecycle.</b> {@link #connect} performs the handshake ({@code ?}, {@code qSupported}, target
 * description, thread list, {@code Qqemu.PhyMemMode:1}) and leaves the VM stopped (QEMU stops it when a
 * debugger connects) unless {@link GdbOptions#resumeAfterConnect()} is set. {@link #close()} removes
 * every breakpoint this driver inserted, switches the stub back to virtual-memory mode and detaches, which
 * makes QEMU resume the VM. When the connection is already broken, {@code close()} connects once more to
 * resume the VM and clear the stub's state (QEMU keeps a VM frozen after its debugger vanished).
 *
 * <p><b>States.</b> The driver tracks whether the VM is stopped or running. Memory, register and
 * breakpoint requests need a stopped VM and throw {@link IllegalStateException} while it runs: QEMU
 * stops a running VM on any byte it receives and drops the command.
 *
 * <p><b>Errors.</b> A refused guest access ({@code E..} answers) is a {@link GuestAccessException} and
 * leaves the session usable. Timeouts, disconnects, garbage and repeated bad checksums are a
 * {@link TransportException}; the connection is then broken, every later request fails the same way,
 * and only {@link #close()} remains useful.
 *
 * <p><b>Threads.</b> Meant for one thread. Every method takes an internal lock, so calls from several
 * threads are serialised; {@link #close()} may come from any thread (a shutdown hook): it makes a
 * pending {@link #awaitStop} give up within 100 ms and then waits for the lock at most twice the
 * command timeout.
 *
 * <p><b>Cost.</b> {@link #stats()} counts round trips (each time the driver sent and then waited),
 * requests answered, guest bytes read and the wall-clock time spent waiting for answers. Memory reads
 * are pipelined: a read, or a {@link #readAll} batch, is split into {@code m} requests of at most
 * {@link #preferredChunkBytes()} bytes, which are sent back to back, up to 64 at a time (see
 * {@link PacketChannel#pipeline}), so up to 64 chunks (128 KiB with QEMU's packet size) cost one round
 * trip. A register read costs one round trip, plus one when the vCPU is not the stub's currently
 * selected thread.
 */
public final class GdbDriver implements GuestConnection {

    private enum RunState { STOPPED, RUNNING, EXITED }

    /** GDB's default when a stub does not announce {@code PacketSize}. */
    private static final int DEFAULT_PACKET_SIZE = 400;
    private static final int MAX_DESCRIPTION_BYTES = 1 << 20;
    private static final int MAX_THREADS = 4096;
    private static final long STOP_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ReentrantLock lock = new ReentrantLock();
    private final GdbAddress address;
    private final GdbOptions options;
    private final long commandTimeoutNanos;
    private final PacketChannel channel;
    private final byte[] command = new byte[96];
    private final List<GdbBreakpoint> breakpoints = new ArrayList<>();
    private volatile boolean closeRequested;
    private boolean closed;
    private boolean shuttingDown;
    private RunState state = RunState.STOPPED;
    private StopEvent lastStop;
    private boolean multiprocess;
    private boolean vContStep;
    private boolean registerPacketSupported = true;
    private boolean physicalMode;
    private int packetSizeBytes = DEFAULT_PACKET_SIZE;
    private TargetDescription target;
    private List<ThreadId> threads = List.of();
    private List<Integer> vcpus = List.of();
    private int selectedGeneralTid = -1;
    private int selectedContinueTid = -1;

    private GdbDriver(GdbAddress address, GdbOptions options, PacketChannel channel) {
        this.address = address;
        this.options = options;
        this.commandTimeoutNanos = options.commandTimeout().toNanos();
        this.channel = channel;
        channel.stopListener(payload -> onStop(StopReply.parse(payload), true));
    }

    /**
     * Connects to the GDB stub at {@code address} and performs the handshake.
     *
     * @throws TransportException when nothing listens there, the stub does not answer in time, or it
     *         lacks a target description or QEMU's physical-memory mode; the connection is then closed
     *         (and the VM resumed as {@link #close()} does)
     */
    public static GdbDriver connect(GdbAddress address, GdbOptions options) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        GdbDriver driver = new GdbDriver(address, options, open(address, options));
        try {
            driver.handshake();
        } catch (RuntimeException e) {
            driver.close();
            throw e;
        }
        return driver;
    }

    private void handshake() {
        // Ask for the stop reason first: a VM stopped already would not answer an interrupt.
        channel.request("?", true, deadline());
        if (!PacketChannel.isStopReply(channel.answer(), channel.answerLength())) {
            throw channel.fail("GDB stub at " + channel.peer() + " answered '?' with '" + channel.answerString() + "'");
        }
        // QEMU's '?' names its continue thread, not necessarily its general thread: select explicitly later.
        onStop(StopReply.parse(channel.answerString()), false);

        channel.request("qSupported:multiprocess+;swbreak+;hwbreak+;vContSupported+", false, deadline());
        boolean noAckOffered = false;
        boolean descriptionOffered = false;
        for (String feature : channel.answerString().split(";")) {
            if (feature.startsWith("PacketSize=")) {
                packetSizeBytes = parsePacketSize(feature.substring("PacketSize=".length()));
            } else if (feature.equals("QStartNoAckMode+")) {
                noAckOffered = true;
            } else if (feature.equals("multiprocess+")) {
                multiprocess = true;
            } else if (feature.equals("qXfer:features:read+")) {
                descriptionOffered = true;
            }
        }
        if (noAckOffered) {
            channel.request("QStartNoAckMode", false, deadline());
            if (channel.answerIs("OK")) {
                channel.disableAcks();
            }
        }
        channel.request("vCont?", false, deadline());
        String vCont = channel.answerString();
        vContStep = vCont.startsWith("vCont") && Arrays.asList(vCont.split(";")).contains("s");

        if (!descriptionOffered) {
            throw channel.fail("GDB stub at " + channel.peer() + " offers no target description (qXfer:features:read)");
        }
        // QEMU answers 'p' only after the client has read target.xml.
        target = TargetDescription.parse(this::readFeature);
        readThreads();

        channel.request("Qqemu.PhyMemMode:1", false, deadline());
        if (!channel.answerIs("OK")) {
            throw channel.fail("GDB stub at " + channel.peer()
                    + " has no physical-memory mode (Qqemu.PhyMemMode); is it QEMU's?");
        }
        physicalMode = true;
        if (options.resumeAfterConnect()) {
            resumeLocked();
        }
    }

    private int parsePacketSize(String hex) {
        try {
            int size = Integer.parseInt(hex, 16);
            if (size < 32) {
                throw new NumberFormatException("too small");
            }
            return Math.min(size, 1 << 20);
        } catch (NumberFormatException e) {
            throw channel.fail("GDB stub at " + channel.peer() + " announced PacketSize=" + hex);
        }
    }

    private String readFeature(String annex) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        int chunk = Math.max(16, packetSizeBytes - 5);
        while (true) {
            channel.request("qXfer:features:read:" + annex + ":" + Integer.toHexString(text.size()) + ","
                    + Integer.toHexString(chunk), false, deadline());
            byte[] answer = channel.answer();
            int length = channel.answerLength();
            if (length == 0 || (answer[0] != 'm' && answer[0] != 'l')) {
                throw channel.fail("GDB stub at " + channel.peer() + " cannot send target description "
                        + annex + ": '" + channel.answerString() + "'");
            }
            text.write(answer, 1, length - 1);
            if (text.size() > MAX_DESCRIPTION_BYTES) {
                throw channel.fail("target description " + annex + " exceeds " + MAX_DESCRIPTION_BYTES + " bytes");
            }
            if (answer[0] == 'l' || length == 1) {
                return text.toString(StandardCharsets.UTF_8);
            }
        }
    }

    private void readThreads() {
        List<ThreadId> found = new ArrayList<>();
        String query = "qfThreadInfo";
        while (true) {
            channel.request(query, false, deadline());
            String answer = channel.answerString();
            if (!answer.startsWith("m")) {
                break;
            }
            for (String id : answer.substring(1).split(",")) {
                try {
                    found.add(ThreadId.parse(id));
                } catch (IllegalArgumentException e) {
                    throw channel.fail("GDB stub at " + channel.peer() + " sent a bad thread list: " + answer);
                }
            }
            if (found.size() > MAX_THREADS) {
                throw channel.fail("GDB stub at " + channel.peer() + " lists more than " + MAX_THREADS + " threads");
            }
            query = "qsThreadInfo";
        }
        if (found.isEmpty()) {
            throw channel.fail("GDB stub at " + channel.peer() + " lists no threads (vCPUs)");
        }
        threads = List.copyOf(found);
        vcpus = threads.stream().map(ThreadId::tid).toList();
    }

    // ---- PhysicalMemory -------------------------------------------------------------------------

    /**
     * Reads guest physical memory with {@code m} packets in physical-memory mode, one per
     * {@link #preferredChunkBytes()} bytes, pipelined: about one round trip per 64 chunks.
     *
     * <p>QEMU reads addresses not backed by RAM or a device as zeros and reports no error, so a
     * {@link GuestAccessException} comes only from ranges beyond the 52-bit physical address space or
     * from an {@code E..} answer of the stub; it names the chunk the stub refused.
     *
     * @throws IllegalStateException while the VM is running
     */
    @Override
    public void read(Gpa address, byte[] buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length > Gpa.MAX_EXCLUSIVE - address.value()) {
            throw beyondAddressSpace(address, length);
        }
        lock.lock();
        try {
            requireStopped("read memory");
            readMemory(address.value(), buffer, offset, length, "physical");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Performs independent physical reads as one pipelined batch: the {@code m} packets of all reads
     * (each read chunked as by {@link #read}) are sent back to back, up to 64 before the driver waits
     * for their answers, so 100 small reads cost two round trips instead of 100. Every read is
     * attempted; once the stub refused a chunk of a read, the chunks of that read not yet sent are left
     * out.
     *
     * @throws GuestAccessException after the whole batch, when a read failed (beyond the 52-bit physical
     *         address space, or an {@code E..} answer): the exception of the first failed read in list
     *         order, its message prefixed with {@code "read i of n: "}, with those of later failed
     *         reads attached as suppressed exceptions. The buffers of the other reads are filled; the
     *         content of a failed read's buffer is unspecified.
     * @throws TransportException when the channel fails; then no buffer content is specified
     * @throws IllegalStateException while the VM is running
     */
    @Override
    public void readAll(List<PhysicalRead> reads) {
        Objects.requireNonNull(reads, "reads");
        List<Span> spans = new ArrayList<>(reads.size());
        GuestAccessException[] failures = new GuestAccessException[reads.size()];
        for (int i = 0; i < reads.size(); i++) {
            PhysicalRead read = Objects.requireNonNull(reads.get(i), "reads[" + i + "]");
            spans.add(new Span(read.address().value(), read.buffer(), read.offset(), read.length()));
            if (read.length() > Gpa.MAX_EXCLUSIVE - read.address().value()) {
                failures[i] = beyondAddressSpace(read.address(), read.length());
            }
        }
        if (spans.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            requireStopped("read memory");
            new MemoryBatch(spans, failures, "physical").run();
        } finally {
            lock.unlock();
        }
        GuestAccessException first = null;
        for (int i = 0; i < failures.length; i++) {
            if (failures[i] == null) {
                continue;
            }
            GuestAccessException named = new GuestAccessException("read " + (i + 1) + " of " + failures.length
                    + ": " + failures[i].getMessage(), failures[i]);
            if (first == null) {
                first = named;
            } else {
                first.addSuppressed(named);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Writes guest physical memory with {@code M} packets in physical-memory mode, one per
     * {@link #preferredChunkBytes()} bytes, each acknowledged before the next. Monitoring never writes:
     * this exists for test tooling that plays a rootkit (and undoes it). Page protections do not apply to
     * physical writes, so read-only kernel text can be changed.
     *
     * @throws GuestAccessException when the stub refuses a chunk ({@code E..}); earlier chunks stay written
     * @throws IllegalStateException while the VM is running
     */
    public void write(Gpa address, byte[] bytes) {
        if (bytes.length > Gpa.MAX_EXCLUSIVE - address.value()) {
            throw beyondAddressSpace(address, bytes.length);
        }
        int chunk = Math.max(1, preferredChunkBytes() / 2 - 32);
        lock.lock();
        try {
            requireStopped("write memory");
            for (int from = 0; from < bytes.length; from += chunk) {
                int length = Math.min(chunk, bytes.length - from);
                long at = address.value() + from;
                String command = "M" + Long.toHexString(at) + "," + Integer.toHexString(length) + ":"
                        + HexFormat.of().formatHex(bytes, from, from + length);
                channel.request(command, false, deadline());
                if (!channel.answerIs("OK")) {
                    throw new GuestAccessException("GDB stub at " + channel.peer() + " refused to write " + length
                            + " bytes at physical " + Gpa.of(at) + ": '" + channel.answerString() + "'");
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Most output bytes {@link #monitor} keeps. */
    public static final int MAX_MONITOR_OUTPUT_BYTES = 64 << 10;

    /**
     * Runs a QEMU monitor (HMP) command through the stub ({@code qRcmd}) and returns what it printed:
     * the stub answers with {@code O<hex>} output packets, then {@code OK}. Used to read state the
     * register set does not carry, e.g. the IDTR from {@code info registers}. Output beyond
     * {@value #MAX_MONITOR_OUTPUT_BYTES} bytes is dropped.
     *
     * @throws UnsupportedOperationException when the stub does not know {@code qRcmd} (empty answer)
     * @throws GuestAccessException when the stub refuses the command ({@code E..})
     * @throws IllegalStateException while the VM is running
     */
    public String monitor(String command) {
        byte[] text = command.getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            requireStopped("run a monitor command");
            channel.request("qRcmd," + HexFormat.of().formatHex(text), false, deadline());
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            while (channel.answerLength() > 1 && channel.answer()[0] == 'O' && !channel.answerIs("OK")) {
                byte[] chunk = new byte[(channel.answerLength() - 1) / 2];
                int length = decodeHex(Arrays.copyOfRange(channel.answer(), 1, channel.answerLength()),
                        channel.answerLength() - 1, chunk, 0, chunk.length);
                if (length < 0) {
                    throw channel.fail("GDB stub at " + channel.peer() + " sent a garbled monitor output packet");
                }
                output.write(chunk, 0, Math.min(length, MAX_MONITOR_OUTPUT_BYTES - output.size()));
                if (!channel.receive(deadline())) {
                    throw channel.fail("GDB stub at " + channel.peer() + " did not finish '" + command + "' in time");
                }
            }
            if (channel.answerLength() == 0) {
                throw new UnsupportedOperationException("GDB stub at " + channel.peer() + " has no monitor (qRcmd)");
            }
            if (!channel.answerIs("OK")) {
                throw new GuestAccessException("GDB stub at " + channel.peer() + " refused monitor command '" + command
                        + "': '" + channel.answerString() + "'");
            }
            return output.toString(StandardCharsets.UTF_8);
        } finally {
            lock.unlock();
        }
    }

    private static GuestAccessException beyondAddressSpace(Gpa address, int length) {
        return new GuestAccessException("physical range " + address + " + " + length
                + " bytes extends beyond the 52-bit physical address space");
    }

    /** Half the stub's packet size: an {@code m} answer carries two hex digits per byte. */
    @Override
    public int preferredChunkBytes() {
        return Math.max(1, packetSizeBytes / 2);
    }

    @Override
    public AccessStats stats() {
        lock.lock();
        try {
            return channel.stats();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads guest virtual memory through the stub's own translation with {@code vcpu}'s page tables.
     * Costs two extra round trips per call (physical-memory mode off, then on again) plus one when the
     * vCPU must be selected. Prefer translating in vmiscope and calling {@link #read}; this method
     * exists for cross-checks.
     *
     * @throws GuestAccessException when the stub cannot translate or read (part of) the range
     * @throws IllegalStateException while the VM is running
     */
    public byte[] readVirtual(int vcpu, Gva address, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        byte[] buffer = new byte[length];
        lock.lock();
        try {
            requireStopped("read memory");
            selectGeneral(thread(vcpu));
            setPhysicalMode(false);
            try {
                readMemory(address.value(), buffer, 0, length, "virtual");
            } finally {
                if (!channel.broken()) {
                    setPhysicalMode(true);
                }
            }
        } finally {
            lock.unlock();
        }
        return buffer;
    }

    private void setPhysicalMode(boolean on) {
        channel.request(on ? "Qqemu.PhyMemMode:1" : "Qqemu.PhyMemMode:0", false, deadline());
        if (!channel.answerIs("OK")) {
            throw channel.fail("GDB stub at " + channel.peer() + " refused Qqemu.PhyMemMode: '"
                    + channel.answerString() + "'");
        }
        physicalMode = on;
    }

    /** Reads one range through a {@link MemoryBatch}; throws its failure, if any. */
    private void readMemory(long address, byte[] buffer, int offset, int length, String kind) {
        GuestAccessException[] failure = new GuestAccessException[1];
        new MemoryBatch(List.of(new Span(address, buffer, offset, length)), failure, kind).run();
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    /** One range of a memory batch: fill {@code buffer[offset, offset+length)} from {@code address}. */
    private record Span(long address, byte[] buffer, int offset, int length) {
    }

    /**
     * The {@code m} commands of a list of spans for {@link PacketChannel#pipeline}: each span is split
     * into chunks of at most {@link #preferredChunkBytes()} bytes, and command {@code i} is the
     * {@code i}-th chunk in span order. A refused chunk ({@code E..}) is recorded in the span's slot of
     * {@code failures} (the first one per span) instead of thrown, and the span's chunks not yet sent are
     * then left out; spans that have a failure before the batch starts are not read at all. Anything
     * but hex or {@code E..} in an answer breaks the channel. A partial answer has the rest of its chunk
     * requested again.
     */
    private final class MemoryBatch implements PacketChannel.Batch {
        private final List<Span> spans;
        private final GuestAccessException[] failures;
        private final String kind;
        private final int chunkLimit = preferredChunkBytes();
        /** Index of the first command of each span; the last entry is the command count. */
        private final int[] firstCommands;
        /** Bytes already received for chunks that were answered in part, by command index. */
        private final Map<Integer, Integer> partial = new HashMap<>();

        MemoryBatch(List<Span> spans, GuestAccessException[] failures, String kind) {
            this.spans = spans;
            this.failures = failures;
            this.kind = kind;
            this.firstCommands = new int[spans.size() + 1];
            long total = 0;
            for (int i = 0; i < spans.size(); i++) {
                firstCommands[i] = Math.toIntExact(total);
                total += failures[i] != null ? 0 : (spans.get(i).length() + (long) chunkLimit - 1) / chunkLimit;
            }
            firstCommands[spans.size()] = Math.toIntExact(total);
        }

        /** Sends the batch and counts the bytes of the spans read without failure. */
        void run() {
            channel.pipeline(this, commandTimeoutNanos);
            long delivered = 0;
            for (int i = 0; i < spans.size(); i++) {
                delivered += failures[i] == null ? spans.get(i).length() : 0;
            }
            channel.countGuestBytes(delivered);
        }

        @Override
        public int size() {
            return firstCommands[spans.size()];
        }

        @Override
        public int command(int index, byte[] out) {
            int span = spanOf(index);
            if (failures[span] != null) {
                return -1;
            }
            int received = partial.getOrDefault(index, 0);
            int n = 0;
            out[n++] = 'm';
            n = putHex(out, n, chunkAddress(span, index) + received);
            out[n++] = ',';
            return putHex(out, n, chunkLength(span, index) - received);
        }

        @Override
        public boolean answer(int index, byte[] payload, int length) {
            int span = spanOf(index);
            int received = partial.getOrDefault(index, 0);
            long at = chunkAddress(span, index) + received;
            int wanted = chunkLength(span, index) - received;
            if (PacketChannel.isErrorAnswer(payload, length)) {
                if (failures[span] == null) {
                    failures[span] = new GuestAccessException("cannot read " + kind + " memory at " + Hex.address(at)
                            + " (" + wanted + " bytes): GDB stub answered "
                            + new String(payload, 0, length, StandardCharsets.ISO_8859_1));
                }
                return true;
            }
            Span target = spans.get(span);
            int got = decodeHex(payload, length, target.buffer(),
                    target.offset() + (int) (at - target.address()), wanted);
            if (got <= 0) {
                throw channel.fail("GDB stub at " + channel.peer() + " answered 'm" + Long.toHexString(at) + ","
                        + Integer.toHexString(wanted) + "' with "
                        + describe(new String(payload, 0, length, StandardCharsets.ISO_8859_1)));
            }
            if (got < wanted) {
                partial.put(index, received + got);
                return false;
            }
            partial.remove(index);
            return true;
        }

        private long chunkAddress(int span, int index) {
            return spans.get(span).address() + (long) (index - firstCommands[span]) * chunkLimit;
        }

        private int chunkLength(int span, int index) {
            int start = (index - firstCommands[span]) * chunkLimit;
            return Math.min(chunkLimit, spans.get(span).length() - start);
        }

        /** The span that command {@code index} belongs to: the last one starting at or before it. */
        private int spanOf(int index) {
            int low = 0;
            int high = spans.size() - 1;
            while (low < high) {
                int middle = (low + high + 1) >>> 1;
                if (firstCommands[middle] <= index) {
                    low = middle;
                } else {
                    high = middle - 1;
                }
            }
            return low;
        }
    }

    /** Decodes hex pairs into {@code out}; returns the byte count, or -1 when the text is not hex. */
    private static int decodeHex(byte[] hex, int hexLength, byte[] out, int offset, int maxBytes) {
        if ((hexLength & 1) != 0 || hexLength / 2 > maxBytes) {
            return -1;
        }
        for (int i = 0, j = offset; i < hexLength; i += 2, j++) {
            int high = PacketCodec.hexValue(hex[i]);
            int low = PacketCodec.hexValue(hex[i + 1]);
            if ((high | low) < 0) {
                return -1;
            }
            out[j] = (byte) ((high << 4) | low);
        }
        return hexLength / 2;
    }

    /** Writes {@code value} in hex without leading zeros at {@code out[position]}; returns the end. */
    private static int putHex(byte[] out, int position, long value) {
        int digits = Math.max(1, (67 - Long.numberOfLeadingZeros(value)) / 4);
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            out[position++] = PacketCodec.hexDigit((int) (value >>> shift));
        }
        return position;
    }

    // ---- VcpuState ------------------------------------------------------------------------------

    /** The stub's thread ids (QEMU: vCPU index + 1), as listed at connect time. */
    @Override
    public List<Integer> vcpus() {
        return vcpus;
    }

    /** The registers the stub described at connect time. */
    public TargetDescription targetDescription() {
        return target;
    }

    /**
     * Reads one register of at most 64 bits with a {@code p} packet (or, if the stub lacks it, from
     * a {@code g} answer).
     *
     * @throws IllegalArgumentException for an unknown vCPU, an unknown register name, or a register
     *         wider than 64 bits
     * @throws GuestAccessException when the stub cannot read the register
     * @throws IllegalStateException while the VM is running
     */
    @Override
    public long register(int vcpu, String name) {
        TargetDescription.Register register = target.register(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown register '" + name + "'; the target description names " + target.registers().size()
                        + " registers, e.g. rip, rsp, cr3"));
        if (register.bitSize() > 64) {
            throw new IllegalArgumentException("register " + name + " is " + register.bitSize()
                    + " bits wide; only registers up to 64 bits fit a long");
        }
        lock.lock();
        try {
            requireStopped("read registers");
            selectGeneral(thread(vcpu));
            if (registerPacketSupported) {
                int n = 0;
                command[n++] = 'p';
                n = putHex(command, n, register.number());
                channel.request(command, n, false, deadline());
                if (channel.answerLength() > 0) {
                    return registerValue(register, vcpu, channel.answer(), 0, channel.answerLength());
                }
                registerPacketSupported = false;
            }
            Long value = readAllRegisters(vcpu).get(name);
            if (value == null) {
                throw new GuestAccessException("register " + name + " of vCPU " + vcpu
                        + " is not in the stub's 'g' answer");
            }
            return value;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads every register of at most 64 bits that one {@code g} exchange delivers (for QEMU/x86-64 the
     * general, segment, control registers and segment bases; the wider x87/SSE registers are left out).
     *
     * @return register name → value, in register-number order
     */
    @Override
    public Map<String, Long> registers(int vcpu) {
        lock.lock();
        try {
            requireStopped("read registers");
            selectGeneral(thread(vcpu));
            return readAllRegisters(vcpu);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes one register of at most 64 bits with a {@code P} packet (value in target byte order).
     *
     * @throws GuestAccessException when the stub refuses the write
     * @throws IllegalStateException while the VM is running
     */
    @Override
    public void setRegister(int vcpu, String name, long value) {
        TargetDescription.Register register = target.register(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown register '" + name + "'"));
        if (register.bitSize() > 64) {
            throw new IllegalArgumentException("register " + name + " is " + register.bitSize() + " bits wide");
        }
        lock.lock();
        try {
            requireStopped("write registers");
            selectGeneral(thread(vcpu));
            StringBuilder packet = new StringBuilder("P").append(Integer.toHexString(register.number())).append('=');
            for (int i = 0; i < register.sizeBytes(); i++) {
                packet.append(String.format("%02x", (value >>> (8 * i)) & 0xff));
            }
            channel.request(packet.toString(), false, deadline());
            if (!channel.answerIs("OK")) {
                throw new GuestAccessException("cannot write register " + name + " of vCPU " + vcpu
                        + ": GDB stub answered " + describe(channel.answerString()));
            }
        } finally {
            lock.unlock();
        }
    }

    private Map<String, Long> readAllRegisters(int vcpu) {
        channel.request("g", false, deadline());
        if (channel.answerIsError()) {
            throw new GuestAccessException("cannot read the registers of vCPU " + vcpu + ": GDB stub answered "
                    + channel.answerString());
        }
        byte[] answer = channel.answer();
        int length = channel.answerLength();
        Map<String, Long> values = new LinkedHashMap<>();
        int position = 0;
        int expectedNumber = 0;
        for (TargetDescription.Register register : target.registers()) {
            int hexDigits = 2 * register.sizeBytes();
            if (register.number() != expectedNumber || position + hexDigits > length) {
                break;
            }
            if (register.bitSize() <= 64 && isHex(answer, position, hexDigits)) {
                values.put(register.name(), littleEndian(answer, position, hexDigits));
            }
            position += hexDigits;
            expectedNumber++;
        }
        return Collections.unmodifiableMap(values);
    }

    private long registerValue(TargetDescription.Register register, int vcpu, byte[] hex, int from, int hexDigits) {
        if (channel.answerIsError() || hexDigits != 2 * register.sizeBytes()) {
            throw new GuestAccessException("cannot read register " + register.name() + " of vCPU " + vcpu
                    + ": GDB stub answered " + describe(channel.answerString()));
        }
        if (!isHex(hex, from, hexDigits)) {
            throw new GuestAccessException("register " + register.name() + " of vCPU " + vcpu
                    + " is unavailable (stub answered " + describe(channel.answerString()) + ")");
        }
        return littleEndian(hex, from, hexDigits);
    }

    private static boolean isHex(byte[] text, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (PacketCodec.hexValue(text[i]) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Target byte order is little-endian (x86): the first hex pair is the least significant byte. */
    private static long littleEndian(byte[] hex, int from, int hexDigits) {
        long value = 0;
        for (int i = 0; i < hexDigits / 2; i++) {
            int b = (PacketCodec.hexValue(hex[from + 2 * i]) << 4) | PacketCodec.hexValue(hex[from + 2 * i + 1]);
            value |= (long) b << (8 * i);
        }
        return value;
    }

    private ThreadId thread(int vcpu) {
        for (ThreadId thread : threads) {
            if (thread.tid() == vcpu) {
                return thread;
            }
        }
        throw new IllegalArgumentException("unknown vCPU " + vcpu + "; the stub lists " + vcpus);
    }

    private void selectGeneral(ThreadId thread) {
        if (selectedGeneralTid == thread.tid()) {
            return;
        }
        channel.request("Hg" + thread.format(multiprocess), false, deadline());
        if (!channel.answerIs("OK")) {
            throw new GuestAccessException("GDB stub cannot select vCPU " + thread.tid() + ": answered "
                    + describe(channel.answerString()));
        }
        selectedGeneralTid = thread.tid();
    }

    // ---- ExecutionControl -----------------------------------------------------------------------

    /**
     * Stops the VM by sending the interrupt byte and waiting (up to the command timeout) for the stop
     * reply. Returns the last stop event at once when the VM is not running.
     *
     * @throws TransportException when the VM does not stop in time
     */
    @Override
    public StopEvent pause() {
        lock.lock();
        try {
            requireOpen();
            if (state != RunState.RUNNING) {
                return lastStop;
            }
            return interruptAndWait();
        } finally {
            lock.unlock();
        }
    }

    private StopEvent interruptAndWait() {
        channel.interrupt();
        StopEvent stop = waitForStop(deadline());
        if (stop == null) {
            throw channel.fail("GDB stub at " + channel.peer() + " did not stop the VM within "
                    + options.commandTimeout().toMillis() + " ms of an interrupt");
        }
        return stop;
    }

    /**
     * Resumes all vCPUs with {@code c}; returns once the stub acknowledged. Does nothing when the VM
     * runs already.
     *
     * @throws IllegalStateException when the guest has exited
     */
    @Override
    public void resume() {
        lock.lock();
        try {
            requireOpen();
            resumeLocked();
        } finally {
            lock.unlock();
        }
    }

    private void resumeLocked() {
        if (state == RunState.RUNNING) {
            return;
        }
        if (state == RunState.EXITED) {
            throw new IllegalStateException("the guest has exited; it cannot be resumed");
        }
        channel.send("c", deadline());
        state = RunState.RUNNING;
    }

    /**
     * Sets {@code vcpu}'s instruction pointer and resumes all vCPUs with one {@code c addr} packet: the
     * stub sets the pc of its continue thread ({@code gdb_set_cpu_pc} on {@code c_cpu}) and continues —
     * no answer to wait for, where a {@code P} first would cost a round trip. Returns once the packet is
     * written; its acknowledgement is taken by the next wait for a stop. QEMU makes the vCPU that
     * reported a stop its continue thread; for another vCPU an {@code Hc} selects it first.
     *
     * @throws IllegalStateException while the VM is running or after the guest exited
     */
    @Override
    public void resumeAt(int vcpu, long rip) {
        lock.lock();
        try {
            requireStopped("resume");
            ThreadId thread = thread(vcpu);
            if (selectedContinueTid != thread.tid()) {
                channel.request("Hc" + thread.format(multiprocess), false, deadline());
                if (!channel.answerIs("OK")) {
                    throw new GuestAccessException("GDB stub cannot select vCPU " + vcpu + " to continue: answered "
                            + describe(channel.answerString()));
                }
                selectedContinueTid = thread.tid();
            }
            channel.sendWithoutWaiting("c" + Long.toHexString(rip));
            state = RunState.RUNNING;
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #close} was called (it may still be detaching); any thread may ask. */
    public boolean isClosed() {
        return closeRequested;
    }

    @Override
    public boolean isPaused() {
        lock.lock();
        try {
            return state != RunState.RUNNING;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the running VM to stop (breakpoint, step end, exit). When the VM is not running,
     * returns the last stop event at once.
     *
     * @throws TransportException when {@link #close()} is called meanwhile from another thread
     */
    @Override
    public Optional<StopEvent> awaitStop(Duration timeout) {
        lock.lock();
        try {
            requireOpen();
            if (state != RunState.RUNNING) {
                return Optional.ofNullable(lastStop);
            }
            return Optional.ofNullable(waitForStop(System.nanoTime() + Math.max(0, timeout.toNanos())));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Executes one instruction on {@code vcpu} while the other vCPUs stay stopped ({@code vCont;s:…};
     * {@code Hc} + {@code s} on stubs without {@code vCont}). A vCPU that cannot execute (for example an
     * application processor halted until its start-up IPI) does not finish the step: the driver then
     * interrupts after the command timeout and returns that stop, reason
     * {@link StopEvent.Reason#REQUESTED}. The VM is stopped when this method returns.
     *
     * @throws IllegalStateException while the VM is running
     */
    public StopEvent step(int vcpu) {
        lock.lock();
        try {
            requireStopped("single-step");
            ThreadId thread = thread(vcpu);
            if (vContStep) {
                channel.send("vCont;s:" + thread.format(multiprocess), deadline());
            } else {
                if (selectedContinueTid != thread.tid()) {
                    channel.request("Hc" + thread.format(multiprocess), false, deadline());
                    selectedContinueTid = thread.tid();
                }
                channel.send("s", deadline());
            }
            state = RunState.RUNNING;
            StopEvent stop = waitForStop(deadline());
            return stop != null ? stop : interruptAndWait();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for a stop reply until {@code deadlineNanos}; null when none came. */
    private StopEvent waitForStop(long deadlineNanos) {
        while (true) {
            if (closeRequested && !shuttingDown) {
                throw new TransportException("GDB driver for " + channel.peer()
                        + " was closed while waiting for the VM to stop");
            }
            long now = System.nanoTime();
            if (now - deadlineNanos >= 0) {
                return null;
            }
            long sliceEnd = deadlineNanos - now > STOP_POLL_NANOS ? now + STOP_POLL_NANOS : deadlineNanos;
            if (channel.receive(sliceEnd) && PacketChannel.isStopReply(channel.answer(), channel.answerLength())) {
                onStop(StopReply.parse(channel.answerString()), true);
                return lastStop;
            }
        }
    }

    /**
     * @param stopperSelected true when the stub made the stopping thread its general thread — QEMU does
     *                        so for every stop it reports by itself (gdb_set_stop_cpu), not for the
     *                        answer to {@code ?}
     */
    private void onStop(StopReply reply, boolean stopperSelected) {
        lastStop = reply.toEvent();
        state = reply.exited() ? RunState.EXITED : RunState.STOPPED;
        int tid = reply.thread() == null ? -1 : reply.thread().tid();
        selectedGeneralTid = stopperSelected ? tid : -1;
        selectedContinueTid = stopperSelected ? tid : -1;
    }

    // ---- BreakpointControl ----------------------------------------------------------------------

    /**
     * Inserts a breakpoint with {@code Z0} (software) or {@code Z1} (hardware), kind 1. The handle's
     * {@code close()} removes it; closing needs a stopped VM like every other request.
     *
     * @throws GuestAccessException when the stub refuses (e.g. no free debug register)
     * @throws IllegalStateException while the VM is running
     */
    @Override
    public Breakpoint insert(Gva address, Kind kind) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(kind, "kind");
        lock.lock();
        try {
            requireStopped("insert breakpoints");
            channel.request(breakpointPacket('Z', address, kind), false, deadline());
            if (!channel.answerIs("OK")) {
                throw new GuestAccessException("cannot insert " + kind.name().toLowerCase() + " breakpoint at "
                        + address + ": GDB stub answered " + describe(channel.answerString()));
            }
            GdbBreakpoint breakpoint = new GdbBreakpoint(address, kind);
            breakpoints.add(breakpoint);
            return breakpoint;
        } finally {
            lock.unlock();
        }
    }

    private static String breakpointPacket(char verb, Gva address, Kind kind) {
        return verb + (kind == Kind.SOFTWARE ? "0," : "1,") + Long.toHexString(address.value()) + ",1";
    }

    private final class GdbBreakpoint implements Breakpoint {
        private final Gva address;
        private final Kind kind;
        private boolean removed;

        GdbBreakpoint(Gva address, Kind kind) {
            this.address = address;
            this.kind = kind;
        }

        @Override
        public Gva address() {
            return address;
        }

        @Override
        public Kind kind() {
            return kind;
        }

        /**
         * Removes the breakpoint with {@code z0}/{@code z1}. After the driver was closed or broke this
         * only marks the handle closed: the driver's close (or QEMU on the next connect) removed it.
         *
         * @throws IllegalStateException while the VM is running; the breakpoint then stays inserted
         */
        @Override
        public void close() {
            lock.lock();
            try {
                if (removed) {
                    return;
                }
                if (closed || channel.broken()) {
                    removed = true;
                    return;
                }
                requireStopped("remove breakpoints");
                removeFromStub();
            } finally {
                lock.unlock();
            }
        }

        /** An error answer means the stub holds no such breakpoint: the handle counts as removed. */
        void removeFromStub() {
            removed = true;
            breakpoints.remove(this);
            channel.request(breakpointPacket('z', address, kind), false, deadline());
        }

        @Override
        public String toString() {
            return kind.name().toLowerCase() + " breakpoint at " + address + (removed ? " (removed)" : "");
        }
    }

    // ---- measurement ----------------------------------------------------------------------------

    /**
     * Measures the median time of {@code samples} exchanges of {@code qAttached}, a query QEMU answers
     * from its own state without touching the guest, including acknowledgements. For benchmarks: the
     * floor under every other request. Counts in {@link #stats()} like any exchange.
     *
     * @throws IllegalStateException while the VM is running
     */
    public long measureRoundTripNanos(int samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be positive: " + samples);
        }
        long[] nanos = new long[samples];
        lock.lock();
        try {
            requireStopped("measure round trips");
            for (int i = 0; i < samples; i++) {
                long start = System.nanoTime();
                channel.request("qAttached", false, deadline());
                nanos[i] = System.nanoTime() - start;
            }
        } finally {
            lock.unlock();
        }
        Arrays.sort(nanos);
        return nanos[samples / 2];
    }

    // ---- close ----------------------------------------------------------------------------------

    /**
     * Removes this driver's breakpoints, switches the stub back to virtual-memory mode, detaches
     * ({@code D}), which makes QEMU resume the VM, and closes the connection. A running VM is
     * interrupted first. When the connection is broken or any of these steps fails, connects once more
     * to resume the VM with {@link #release} ({@code ?} — which also makes QEMU drop all breakpoints —
     * then {@code Qqemu.PhyMemMode:0} and {@code D;1}). Never throws; safe to call twice and from another thread
     * (e.g. a shutdown hook). If the stub itself is gone, nothing remains to resume.
     */
    @Override
    public void close() {
        closeRequested = true;
        boolean locked = false;
        try {
            locked = lock.tryLock(2 * commandTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!locked) {
            // The owning thread is stuck in an exchange: cut the connection and resume over a fresh one.
            channel.close();
            rescue();
            return;
        }
        try {
            if (closed) {
                return;
            }
            closed = true;
            shuttingDown = true;
            boolean detached = false;
            if (!channel.broken()) {
                try {
                    detach();
                    detached = true;
                } catch (RuntimeException e) {
                    // Fall through to the rescue over a fresh connection.
                }
            }
            channel.close();
            if (!detached) {
                rescue();
            }
        } finally {
            lock.unlock();
        }
    }

    private void detach() {
        if (state == RunState.EXITED) {
            return;
        }
        if (state == RunState.RUNNING) {
            interruptAndWait();
        }
        for (int i = breakpoints.size() - 1; i >= 0; i--) {
            breakpoints.get(i).removeFromStub();
        }
        if (physicalMode) {
            setPhysicalMode(false);
        }
        int pid = threads.isEmpty() ? 1 : Math.max(1, threads.get(0).pid());
        channel.request(multiprocess ? "D;" + Integer.toHexString(pid) : "D", false, deadline());
        if (!channel.answerIs("OK")) {
            // A stub that refuses to detach must still leave the VM running.
            channel.send("c", deadline());
        }
        state = RunState.RUNNING;
    }

    private void rescue() {
        try {
            release(address, options);
        } catch (TransportException e) {
            // Nothing is left to resume: the stub is gone or serves another debugger.
        }
    }

    /**
     * What {@link #release} did to the VM behind a gdbstub. The stub cannot say whether the VM was
     * stopped before: QEMU stops a running VM as soon as a debugger connects, so ask QMP
     * ({@code query-status}) first when that matters.
     *
     * @param peer              the stub, as {@link GdbAddress#toString()} gives it
     * @param stopReply         the stub's answer to {@code ?}; QEMU removed every breakpoint and
     *                          watchpoint of earlier clients as it sent it
     * @param physicalModeReset true when the stub confirmed {@code Qqemu.PhyMemMode:0}; false for a
     *                          stub without QEMU's physical-memory mode
     * @param detached          true when the stub accepted {@code D;1}, which resumed the VM; false when
     *                          it refused and the VM was resumed with {@code c}
     */
    public record Release(String peer, String stopReply, boolean physicalModeReset, boolean detached) {

        /** One line for logs and the command line. */
        public String describe() {
            return "released " + peer + ": breakpoints removed (stop reply " + stopReply + "), "
                    + (physicalModeReset ? "virtual-memory mode restored, " : "")
                    + (detached ? "detached, VM resumed" : "detach refused, VM resumed with 'c'");
        }
    }

    /**
     * Releases the VM behind the gdbstub at {@code address} from whatever a vanished debugger left:
     * connects, sends {@code ?} (QEMU then removes all breakpoints), {@code Qqemu.PhyMemMode:0}, and
     * detaches with {@code D;1}, which resumes the VM; a stub that refuses to detach gets {@code c}.
     * Then closes the connection. Works whether the VM was stopped or running (connecting stops it
     * first), and needs no handshake beyond {@code ?}: it is what {@link #close()} does over a fresh
     * connection when its own broke, and what a guard process does for a debugger that died.
     *
     * <p>While another client holds the stub, QEMU does not serve a second one: the connection is
     * accepted by the host's socket layer (TCP or Unix) but nothing answers, and this method fails after
     * {@link GdbOptions#commandTimeout()}. That connection stays queued: QEMU accepts it once the other
     * client detaches, even though it is closed by then, and accepting it stops the VM, which then stays
     * stopped. So call this only when no live debugger holds the stub (QMP {@code query-chardev} tells);
     * callers that wait for QEMU to notice a dropped client retry, and a later successful release
     * undoes the stop of an earlier queued attempt.
     *
     * @return what the stub answered; on return the VM has been told to run
     * @throws TransportException when nothing listens at {@code address}, the stub does not answer
     *         in time or answers {@code ?} with something other than a stop reply; the VM may then be
     *         stopped still (connecting stops it)
     */
    public static Release release(GdbAddress address, GdbOptions options) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        long timeoutNanos = options.commandTimeout().toNanos();
        try (PacketChannel channel = open(address, options)) {
            // QEMU's stub may report the stop that connecting caused before answering: the first stop
            // reply is the answer either way, and later ones are skipped as asynchronous.
            channel.request("?", true, System.nanoTime() + timeoutNanos);
            if (!PacketChannel.isStopReply(channel.answer(), channel.answerLength())) {
                throw channel.fail("GDB stub at " + channel.peer() + " answered '?' with '"
                        + channel.answerString() + "'");
            }
            String stopReply = channel.answerString();
            channel.request("Qqemu.PhyMemMode:0", false, System.nanoTime() + timeoutNanos);
            boolean physicalModeReset = channel.answerIs("OK");
            // Detach before any 'c': a running VM takes the next byte it receives as an interrupt and
            // drops the packet, so 'c' must be the last thing sent. QEMU accepts 'D;1' also when
            // multiprocess mode was never negotiated (it then ignores the pid).
            channel.request("D;1", false, System.nanoTime() + timeoutNanos);
            boolean detached = channel.answerIs("OK");
            if (!detached) {
                channel.send("c", System.nanoTime() + timeoutNanos);
            }
            return new Release(channel.peer(), stopReply, physicalModeReset, detached);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static PacketChannel open(GdbAddress address, GdbOptions options) {
        return PacketChannel.open(address, options.connectTimeout().toMillis(), options.commandTimeout().toMillis());
    }

    private long deadline() {
        return System.nanoTime() + commandTimeoutNanos;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("GDB driver for " + channel.peer() + " is closed");
        }
    }

    private void requireStopped(String action) {
        requireOpen();
        if (state == RunState.RUNNING) {
            throw new IllegalStateException("cannot " + action + " while the VM is running: pause() it first");
        }
        if (state == RunState.EXITED) {
            throw new IllegalStateException("cannot " + action + ": the guest has exited");
        }
    }

    private static String describe(String answer) {
        if (answer.isEmpty()) {
            return "an empty packet (not supported)";
        }
        return "'" + (answer.length() > 40 ? answer.substring(0, 40) + "…" : answer) + "'";
    }

    @Override
    public String toString() {
        return "GdbDriver[" + channel.peer() + "]";
    }
}
