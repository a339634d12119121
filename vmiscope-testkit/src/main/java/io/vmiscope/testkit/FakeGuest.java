package io.vmiscope.testkit;

import io.vmiscope.api.AccessStats;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.GuestConnection;
import io.vmiscope.api.Gpa;
import io.vmiscope.api.PhysicalRead;
import io.vmiscope.api.Gva;
import io.vmiscope.api.Hex;
import io.vmiscope.api.StopEvent;
import io.vmiscope.api.TransportException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An in-process guest for fast, hermetic tests: implements every capability of
 * {@link GuestConnection} over plain Java state and records what the code under test asked for.
 *
 * <h2>Memory</h2>
 * Physical memory is sparse: a map of 4 KiB pages. A page is <em>backed</em> once any byte of it
 * has been written through the write helpers (the rest of the page reads as zeros). Reading any
 * byte of an unbacked page throws {@link GuestAccessException} naming the first unbacked address,
 * so a test notices when code reads where nothing was laid out. Writes must lie below the
 * configured RAM size ({@link #ramSizeBytes()}), otherwise they throw
 * {@link IllegalArgumentException} (a bug in the test's setup, not a guest fault).
 *
 * <h2>Calls, cost and faults</h2>
 * Every capability call (memory read, register access, pause/resume/await, breakpoint insert and
 * removal) is appended to {@link #calls()} as one line, e.g. {@code "read 0x1000+8"}. Write helpers,
 * {@link #peek}, {@link #stats()} and the other test-side accessors are not recorded. Each memory
 * read costs {@code max(1, ceil(length / preferredChunkBytes))} round trips in {@link #stats()}, as a
 * driver splitting reads into protocol packets would; other calls cost nothing.
 * {@link #failOnCall(int, RuntimeException)} arms a failure for a later call: the call is recorded,
 * then the exception is thrown before the call has any effect.
 *
 * <h2>Execution</h2>
 * Like QEMU's stub, which stops the VM when a debugger attaches, a new fake starts paused. Stops are
 * scripted with {@link #scheduleStop} / {@link #scheduleBreakpointHit}; {@link #awaitStop} delivers
 * the oldest scheduled stop when the VM is running and never sleeps (it returns empty at once when
 * nothing is scheduled). The fake has four hardware debug registers, like x86.
 *
 * <h2>Lifecycle and threads</h2>
 * {@link #close()} removes every inserted breakpoint (newest first), resumes the VM and marks the
 * connection closed; it is idempotent and ignores armed failures. After closing, capability calls
 * throw {@link TransportException}, except {@link #isPaused()}, which keeps answering so tests can
 * check the final state. All methods are synchronized, so a test may drive the fake from a
 * monitor thread and assert from the test thread.
 */
public final class FakeGuest implements GuestConnection {

    /** Size of one backing page (bytes). */
    public static final int PAGE_SIZE_BYTES = 4096;
    /** RAM size of {@link #FakeGuest()}: 256 MiB. */
    public static final long DEFAULT_RAM_BYTES = 256L << 20;
    /** Debug registers available for hardware breakpoints (x86: DR0–DR3). */
    public static final int HARDWARE_BREAKPOINT_SLOTS = 4;
    /** Signal reported for a requested stop (QEMU's stub reports SIGINT). */
    public static final int SIGINT = 2;
    /** Signal reported for a breakpoint or single-step trap. */
    public static final int SIGTRAP = 5;

    private static final List<String> DEFAULT_REGISTERS = List.of(
            "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
            "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
            "rip", "eflags", "cs", "ss", "ds", "es", "fs", "gs",
            "fs_base", "gs_base", "k_gs_base", "cr0", "cr2", "cr3", "cr4", "cr8", "efer");

    private final long ramSizeBytes;
    private final Map<Long, byte[]> pages = new HashMap<>();
    private final Map<Integer, Map<String, Long>> registers = new LinkedHashMap<>();
    private final List<String> calls = new ArrayList<>();
    private final Map<Long, RuntimeException> armedFailures = new HashMap<>();
    private final Deque<ScheduledStop> scheduledStops = new ArrayDeque<>();
    private final List<FakeBreakpoint> inserted = new ArrayList<>();
    private int preferredChunkBytes = PAGE_SIZE_BYTES;
    private long callCount;
    private long roundTrips;
    private long requests;
    private boolean inBatch;
    private long bytesRead;
    private boolean paused = true;
    private boolean closed;

    /** A guest with {@link #DEFAULT_RAM_BYTES} of RAM and one vCPU (id 1). */
    public FakeGuest() {
        this(DEFAULT_RAM_BYTES, 1);
    }

    /**
     * @param ramSizeBytes size of guest RAM; writes at or above it are refused
     * @param vcpuCount    number of vCPUs, numbered from 1 like the GDB stub's thread ids
     */
    public FakeGuest(long ramSizeBytes, int vcpuCount) {
        if (ramSizeBytes <= 0 || ramSizeBytes > Gpa.MAX_EXCLUSIVE) {
            throw new IllegalArgumentException("RAM size out of range: " + ramSizeBytes);
        }
        if (vcpuCount <= 0) {
            throw new IllegalArgumentException("at least one vCPU is needed: " + vcpuCount);
        }
        this.ramSizeBytes = ramSizeBytes;
        for (int vcpu = 1; vcpu <= vcpuCount; vcpu++) {
            Map<String, Long> set = new LinkedHashMap<>();
            DEFAULT_REGISTERS.forEach(name -> set.put(name, 0L));
            registers.put(vcpu, set);
        }
    }

    // ---------------------------------------------------------------- test-side setup and inspection

    /** Size of guest RAM (bytes). */
    public long ramSizeBytes() {
        return ramSizeBytes;
    }

    /** Copies {@code bytes} into physical memory at {@code address}, backing the pages it touches. */
    public synchronized void write(Gpa address, byte[] bytes) {
        long start = address.value();
        if (start + bytes.length > ramSizeBytes) {
            throw new IllegalArgumentException("write of " + bytes.length + " bytes at " + address
                    + " goes beyond RAM (" + Hex.address(ramSizeBytes) + ")");
        }
        int done = 0;
        while (done < bytes.length) {
            long at = start + done;
            int inPage = (int) (at % PAGE_SIZE_BYTES);
            int chunk = Math.min(bytes.length - done, PAGE_SIZE_BYTES - inPage);
            byte[] page = pages.computeIfAbsent(at / PAGE_SIZE_BYTES, n -> new byte[PAGE_SIZE_BYTES]);
            System.arraycopy(bytes, done, page, inPage, chunk);
            done += chunk;
        }
    }

    /** Writes a little-endian 64-bit value. */
    public void writeU64(Gpa address, long value) {
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (value >>> (8 * i));
        }
        write(address, bytes);
    }

    /** Writes a little-endian 32-bit value. */
    public void writeU32(Gpa address, int value) {
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            bytes[i] = (byte) (value >>> (8 * i));
        }
        write(address, bytes);
    }

    /** Writes {@code text} as UTF-8 followed by one NUL byte. */
    public void writeString(Gpa address, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[] terminated = new byte[utf8.length + 1];
        System.arraycopy(utf8, 0, terminated, 0, utf8.length);
        write(address, terminated);
    }

    /**
     * Reads physical memory for a test's own assertions or for builders: not recorded, costs
     * nothing, never fails by injection.
     *
     * @throws GuestAccessException when part of the range is not backed
     */
    public synchronized byte[] peek(Gpa address, int length) {
        byte[] buffer = new byte[length];
        copyOut(address.value(), buffer, 0, length);
        return buffer;
    }

    /** Little-endian 64-bit value at {@code address}, read like {@link #peek}. */
    public long peekU64(Gpa address) {
        byte[] bytes = peek(address, 8);
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = (value << 8) | (bytes[i] & 0xffL);
        }
        return value;
    }

    /** Whether the 4 KiB page containing {@code address} has been written. */
    public synchronized boolean isBacked(Gpa address) {
        return pages.containsKey(address.value() / PAGE_SIZE_BYTES);
    }

    /** Sets one register of one vCPU; a name not yet known is added. */
    @Override
    public synchronized void setRegister(int vcpu, String name, long value) {
        registersOf(vcpu).put(name, value);
    }

    /** Sets the size that {@link #preferredChunkBytes()} reports and reads are costed by. */
    public synchronized void setPreferredChunkBytes(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("chunk size must be positive: " + bytes);
        }
        preferredChunkBytes = bytes;
    }

    /**
     * Arms a failure: the {@code n}th capability call from now (1 = the next one) is recorded and
     * then throws {@code failure} without taking effect. Several failures may be armed at once.
     */
    public synchronized void failOnCall(int n, RuntimeException failure) {
        if (n < 1) {
            throw new IllegalArgumentException("n counts from 1: " + n);
        }
        armedFailures.put(callCount + n, Objects.requireNonNull(failure));
    }

    /** The calls recorded so far (oldest first), e.g. {@code "read 0x1000+8"}, {@code "resume"}. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** Forgets the recorded calls (armed failures keep counting from where they were armed). */
    public synchronized void clearCalls() {
        calls.clear();
    }

    /** Breakpoints currently inserted, oldest first. */
    public synchronized List<Breakpoint> insertedBreakpoints() {
        return List.copyOf(inserted);
    }

    /** Queues a stop that {@link #awaitStop} delivers while the VM runs. */
    public synchronized void scheduleStop(StopEvent event) {
        scheduledStops.add(new ScheduledStop(Objects.requireNonNull(event), Optional.empty()));
    }

    /**
     * Queues a breakpoint trap on {@code vcpu}: when delivered, that vCPU's {@code rip} becomes
     * {@code address} and the stop reads {@code TRAP} with {@link #SIGTRAP}.
     */
    public synchronized void scheduleBreakpointHit(int vcpu, Gva address) {
        registersOf(vcpu);
        scheduledStops.add(new ScheduledStop(new StopEvent(StopEvent.Reason.TRAP, vcpu, SIGTRAP),
                Optional.of(address)));
    }

    /** Whether {@link #close()} has run. */
    public synchronized boolean isClosed() {
        return closed;
    }

    // ---------------------------------------------------------------- PhysicalMemory

    /** Like a pipelining transport: one round trip per read, one request per preferred chunk. */
    @Override
    public synchronized void read(Gpa address, byte[] buffer, int offset, int length) {
        if (!inBatch) {
            roundTrips++;
        }
        readChunks(address, buffer, offset, length);
    }

    /** One round trip for the whole batch, with the contract's failure rules. */
    @Override
    public synchronized void readAll(List<PhysicalRead> reads) {
        roundTrips++;
        inBatch = true;
        try {
            GuestConnection.super.readAll(reads);
        } finally {
            inBatch = false;
        }
    }

    private void readChunks(Gpa address, byte[] buffer, int offset, int length) {
        enter(String.format("read 0x%x+%d", address.value(), length));
        Objects.checkFromIndexSize(offset, length, buffer.length);
        requests += Math.max(1, (length + (long) preferredChunkBytes - 1) / preferredChunkBytes);
        copyOut(address.value(), buffer, offset, length);
        bytesRead += length;
    }

    @Override
    public synchronized int preferredChunkBytes() {
        return preferredChunkBytes;
    }

    @Override
    public synchronized AccessStats stats() {
        return new AccessStats(roundTrips, requests, bytesRead, 0);
    }

    // ---------------------------------------------------------------- VcpuState

    @Override
    public synchronized List<Integer> vcpus() {
        enter("vcpus");
        return List.copyOf(registers.keySet());
    }

    @Override
    public synchronized long register(int vcpu, String name) {
        enter("register " + vcpu + " " + name);
        Long value = registersOf(vcpu).get(name);
        if (value == null) {
            throw new IllegalArgumentException("unknown register: " + name);
        }
        return value;
    }

    @Override
    public synchronized Map<String, Long> registers(int vcpu) {
        enter("registers " + vcpu);
        return Collections.unmodifiableMap(new LinkedHashMap<>(registersOf(vcpu)));
    }

    // ---------------------------------------------------------------- ExecutionControl

    @Override
    public synchronized StopEvent pause() {
        enter("pause");
        paused = true;
        return new StopEvent(StopEvent.Reason.REQUESTED, registers.keySet().iterator().next(), SIGINT);
    }

    @Override
    public synchronized void resume() {
        enter("resume");
        paused = false;
    }

    /** Records the step and moves {@code rip} one byte on: the fake executes no instructions. */
    @Override
    public synchronized StopEvent step(int vcpu) {
        enter("step " + vcpu);
        if (!paused) {
            throw new IllegalStateException("step needs a stopped VM");
        }
        Map<String, Long> regs = registersOf(vcpu);
        regs.merge("rip", 1L, Long::sum);
        return new StopEvent(StopEvent.Reason.TRAP, vcpu, SIGTRAP);
    }

    @Override
    public synchronized boolean isPaused() {
        if (!closed) {
            enter("isPaused");
        }
        return paused;
    }

    @Override
    public synchronized Optional<StopEvent> awaitStop(Duration timeout) {
        enter("awaitStop " + timeout.toMillis() + "ms");
        if (paused || scheduledStops.isEmpty()) {
            return Optional.empty();
        }
        ScheduledStop stop = scheduledStops.poll();
        stop.rip().ifPresent(rip -> registersOf(stop.event().vcpu()).put("rip", rip.value()));
        paused = true;
        return Optional.of(stop.event());
    }

    // ---------------------------------------------------------------- BreakpointControl

    @Override
    public synchronized Breakpoint insert(Gva address, Kind kind) {
        enter("insert " + hex(address.value()) + " " + kind);
        if (kind == Kind.HARDWARE
                && inserted.stream().filter(b -> b.kind() == Kind.HARDWARE).count() >= HARDWARE_BREAKPOINT_SLOTS) {
            throw new GuestAccessException("no free debug register for a hardware breakpoint at " + address);
        }
        FakeBreakpoint breakpoint = new FakeBreakpoint(address, kind);
        inserted.add(breakpoint);
        return breakpoint;
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        calls.add("close");
        for (int i = inserted.size() - 1; i >= 0; i--) {
            FakeBreakpoint breakpoint = inserted.get(i);
            calls.add(removeCall(breakpoint));
        }
        inserted.clear();
        if (paused) {
            calls.add("resume");
            paused = false;
        }
        closed = true;
    }

    // ---------------------------------------------------------------- internals

    private void enter(String call) {
        if (closed) {
            throw new TransportException("fake guest connection is closed (call: " + call + ")");
        }
        calls.add(call);
        callCount++;
        RuntimeException failure = armedFailures.remove(callCount);
        if (failure != null) {
            throw failure;
        }
    }

    private Map<String, Long> registersOf(int vcpu) {
        Map<String, Long> set = registers.get(vcpu);
        if (set == null) {
            throw new IllegalArgumentException("unknown vCPU: " + vcpu);
        }
        return set;
    }

    private void copyOut(long start, byte[] buffer, int offset, int length) {
        if (start + length > Gpa.MAX_EXCLUSIVE) {
            throw new GuestAccessException("physical range " + hex(start) + "+" + length
                    + " goes beyond the 52-bit physical address space");
        }
        int done = 0;
        while (done < length) {
            long at = start + done;
            int inPage = (int) (at % PAGE_SIZE_BYTES);
            int chunk = Math.min(length - done, PAGE_SIZE_BYTES - inPage);
            byte[] page = pages.get(at / PAGE_SIZE_BYTES);
            if (page == null) {
                throw new GuestAccessException("physical " + Hex.address(at) + " is not backed by guest RAM");
            }
            System.arraycopy(page, inPage, buffer, offset + done, chunk);
            done += chunk;
        }
    }

    private static String removeCall(FakeBreakpoint breakpoint) {
        return "remove " + hex(breakpoint.address().value()) + " " + breakpoint.kind();
    }

    private static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    private record ScheduledStop(StopEvent event, Optional<Gva> rip) {
    }

    /** A breakpoint handle; closing it removes the breakpoint once. */
    private final class FakeBreakpoint implements Breakpoint {
        private final Gva address;
        private final Kind kind;

        FakeBreakpoint(Gva address, Kind kind) {
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

        @Override
        public void close() {
            synchronized (FakeGuest.this) {
                if (closed || !inserted.contains(this)) {
                    return;
                }
                enter(removeCall(this));
                inserted.remove(this);
            }
        }

        @Override
        public String toString() {
            return kind + " breakpoint at " + address;
        }
    }
}
