package io.vmiscope.gdb;

import io.vmiscope.api.AccessStats;
import io.vmiscope.api.BreakpointControl;
import io.vmiscope.api.Gpa;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gva;
import io.vmiscope.api.PhysicalRead;
import io.vmiscope.api.StopEvent;
import io.vmiscope.api.TransportException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.io.BufferedReader;
import java.io.InputStreamReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Against a real {@code qemu-system-x86_64} under TCG with no guest: started with {@code -S}, both
 * vCPUs sit at the reset vector until the first test resumes the VM. One QEMU for the whole class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GdbDriverIT {

    /**
     * The last 64 KiB below 4 GiB, where QEMU maps the BIOS ROM. (At 0xF0000 the chipset's PAM
     * shadowing decides between ROM and RAM, and SeaBIOS changes it as soon as the VM has run.)
     */
    private static final long BIOS_ROM = 0xFFFF_0000L;

    private static final GdbOptions OPTIONS = GdbOptions.DEFAULTS.withCommandTimeout(Duration.ofSeconds(3));

    private static Process qemu;
    private static Path workDir;
    private static Path qmpSocket;
    private static int gdbPort;

    /**
     * Starts QEMU on a port that was free a moment ago; another process (other test runs share the host) may
     * take it first, so a start that loses the port is tried again on a new one.
     */
    @BeforeAll
    static void startQemu() throws Exception {
        workDir = Files.createTempDirectory("vmiscope-gdb-it");
        qmpSocket = workDir.resolve("qmp.sock");
        for (int attempt = 1; !tryToStartQemu(); attempt++) {
            if (attempt == 3) {
                throw new IllegalStateException("QEMU found no free gdbstub port in 3 attempts: "
                        + Files.readString(workDir.resolve("qemu.log")));
            }
        }
    }

    /** True once QEMU answers QMP; false when its gdbstub port was taken meanwhile. */
    private static boolean tryToStartQemu() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            gdbPort = probe.getLocalPort();
        }
        Files.deleteIfExists(qmpSocket);
        qemu = new ProcessBuilder("qemu-system-x86_64", "-accel", "tcg", "-display", "none", "-nodefaults", "-S",
                "-m", "64", "-smp", "2", "-gdb", "tcp:127.0.0.1:" + gdbPort,
                "-qmp", "unix:" + qmpSocket + ",server=on,wait=off")
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("qemu.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                qmp("query-status");
                return true;
            } catch (IOException notYet) {
                if (!qemu.isAlive() && Files.readString(workDir.resolve("qemu.log")).contains("Address already in use")) {
                    qemu = null;
                    return false;
                }
                if (!qemu.isAlive() || System.nanoTime() > deadline) {
                    stopQemu();
                    throw new IllegalStateException("QEMU did not start: "
                            + Files.readString(workDir.resolve("qemu.log")), notYet);
                }
                Thread.sleep(50);
            }
        }
    }

    @AfterAll
    static void stopQemu() throws Exception {
        if (qemu != null) {
            qemu.destroy();
            if (!qemu.waitFor(5, TimeUnit.SECONDS)) {
                qemu.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            qemu = null;
        }
    }

    @Test
    @Order(1)
    void step_movesRipOfThatVcpuOnly_andLeavesTheSteppedVcpuSelected() {
        try (GdbDriver driver = connect()) {
            long rip1 = driver.register(1, "rip");
            long rip2 = driver.register(2, "rip");

            StopEvent stop = driver.step(1);

            assertThat(stop.reason()).isEqualTo(StopEvent.Reason.TRAP);
            assertThat(stop.vcpu()).isEqualTo(1);
            AccessStats before = driver.stats();
            assertThat(driver.register(1, "rip")).isNotEqualTo(rip1);
            assertThat(driver.stats().minus(before).roundTrips())
                    .as("QEMU selects the stopping vCPU, so no Hg is needed").isEqualTo(1);
            assertThat(driver.register(2, "rip")).isEqualTo(rip2);
        }
    }

    @Test
    @Order(2)
    void connect_describesTargetFromXml_andListsTwoVcpus() {
        try (GdbDriver driver = connect()) {
            TargetDescription target = driver.targetDescription();
            assertThat(target.architecture()).isEqualTo("i386:x86-64");
            assertThat(target.register("rip")).hasValueSatisfying(r -> assertThat(r.bitSize()).isEqualTo(64));
            assertThat(target.register("cr3")).isPresent();
            assertThat(target.register("cr0")).isPresent();
            assertThat(target.register("efer")).isPresent();
            assertThat(target.register("k_gs_base")).isPresent();
            assertThat(driver.vcpus()).containsExactly(1, 2);
            assertThat(driver.isPaused()).isTrue();

            var all = driver.registers(1);
            assertThat(all).containsKeys("rax", "rip", "eflags", "cs", "cr0", "cr3", "fs_base", "gs_base");
            assertThat(driver.register(1, "cr0")).isEqualTo(all.get("cr0"));
            assertThat(driver.register(1, "cr0") & 0x10).as("CR0.ET is hard-wired to 1").isEqualTo(0x10);
        }
    }

    @Test
    @Order(3)
    void read_biosArea_deliversAllBytesAcrossChunkBoundaries() {
        try (GdbDriver driver = connect()) {
            assertThat(driver.preferredChunkBytes()).isEqualTo(2048);
            AccessStats before = driver.stats();

            byte[] bios = driver.read(Gpa.of(BIOS_ROM), 64 * 1024);

            AccessStats cost = driver.stats().minus(before);
            assertThat(bios).hasSize(65536);
            assertThat(countNonZero(bios)).isGreaterThan(1000);
            assertThat(cost.roundTrips()).as("32 chunks pipelined in one window").isEqualTo(1);
            assertThat(cost.requests()).isEqualTo(32);
            assertThat(cost.bytesRead()).isEqualTo(65536);
            byte[] oddSlice = driver.read(Gpa.of(BIOS_ROM + 2047), 4099);
            assertThat(oddSlice).isEqualTo(Arrays.copyOfRange(bios, 2047, 2047 + 4099));
        }
    }

    @Test
    @Order(4)
    void read_beyondThePhysicalAddressSpace_throwsGuestAccessExceptionNamingTheAddress() {
        try (GdbDriver driver = connect()) {
            assertThatThrownBy(() -> driver.read(Gpa.of(Gpa.MAX_EXCLUSIVE - 16), 64))
                    .isInstanceOf(GuestAccessException.class)
                    .hasMessageContaining("0x000ffffffffffff0");
            // QEMU's physical mode reports no error for unbacked addresses below that: it reads zeros.
            assertThat(countNonZero(driver.read(Gpa.of(0x3_0000_0000_0000L), 64))).isZero();
        }
    }

    @Test
    @Order(5)
    void readVirtual_inRealMode_equalsPhysical_andRestoresPhysicalMode() {
        try (GdbDriver driver = connect()) {
            byte[] physical = driver.read(Gpa.of(0xF0000), 256);
            AccessStats before = driver.stats();

            byte[] virtual = driver.readVirtual(1, Gva.of(0xF0000), 256);

            assertThat(virtual).isEqualTo(physical);
            assertThat(driver.stats().minus(before).roundTrips()).isLessThanOrEqualTo(4);
            assertThat(driver.read(Gpa.of(0xF0000), 256)).isEqualTo(physical);
        }
    }

    @Test
    @Order(6)
    void breakpoints_insertAndRemove_throughIdempotentHandles() {
        try (GdbDriver driver = connect()) {
            BreakpointControl.Breakpoint software = driver.insert(Gva.of(0xF0100), BreakpointControl.Kind.SOFTWARE);
            BreakpointControl.Breakpoint hardware = driver.insert(Gva.of(0xF0200), BreakpointControl.Kind.HARDWARE);
            BreakpointControl.Breakpoint leftInserted = driver.insert(Gva.of(0xF0300), BreakpointControl.Kind.SOFTWARE);

            assertThat(software.address()).isEqualTo(Gva.of(0xF0100));
            assertThat(hardware.kind()).isEqualTo(BreakpointControl.Kind.HARDWARE);
            AccessStats before = driver.stats();
            software.close();
            software.close();
            hardware.close();
            assertThat(driver.stats().minus(before).roundTrips()).isEqualTo(2);
            assertThat(leftInserted.toString()).contains("0x00000000000f0300");
        }
    }

    @Test
    @Order(7)
    void resume_thenPause_stopsWithRequestedReason_andRequestsWhileRunningAreRefused() {
        try (GdbDriver driver = connect()) {
            driver.resume();
            driver.resume();
            assertThat(driver.isPaused()).isFalse();
            assertThatThrownBy(() -> driver.register(1, "rip"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("running");
            assertThat(driver.awaitStop(Duration.ofMillis(200))).isEmpty();

            StopEvent stop = driver.pause();

            assertThat(stop.reason()).isEqualTo(StopEvent.Reason.REQUESTED);
            assertThat(stop.signal()).isEqualTo(2);
            assertThat(driver.isPaused()).isTrue();
            assertThat(driver.pause()).isEqualTo(stop);
            assertThat(driver.register(1, "rip")).isNotNegative();
        }
    }

    @Test
    @Order(8)
    void measureRoundTrip_returnsThePositiveMedian() {
        try (GdbDriver driver = connect()) {
            long median = driver.measureRoundTripNanos(500);
            System.out.printf("median qAttached round trip against QEMU %s: %.1f µs%n",
                    "7.2 (TCG, 2 vCPUs)", median / 1000.0);
            assertThat(median).isPositive().isLessThan(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    @Test
    @Order(9)
    void close_leavesTheVmRunning_andASecondClientCanConnect() throws Exception {
        GdbDriver first = connect();
        first.insert(Gva.of(0xF0100), BreakpointControl.Kind.SOFTWARE);
        assertThat(qmpStatus()).contains("\"running\": false");

        first.close();
        first.close();

        assertThat(qmpStatus()).contains("\"status\": \"running\"");
        try (GdbDriver second = connect()) {
            assertThat(second.isPaused()).isTrue();
            assertThat(second.vcpus()).hasSize(2);
        }
        assertThat(qmpStatus()).contains("\"status\": \"running\"");
    }

    @Test
    @Order(10)
    void close_fromAnotherThread_endsAWaitForStop_andLeavesTheVmRunning() throws Exception {
        GdbDriver driver = connect();
        driver.resume();
        CompletableFuture<Optional<StopEvent>> waiting =
                CompletableFuture.supplyAsync(() -> driver.awaitStop(Duration.ofSeconds(30)));
        Thread.sleep(200);

        driver.close();

        assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(TransportException.class);
        assertThat(qmpStatus()).contains("\"status\": \"running\"");
    }

    @Test
    @Order(11)
    void connect_afterTheVmWasRunning_takesTheAsynchronousStopReply_andWorks() throws Exception {
        assertThat(qmpStatus()).contains("\"status\": \"running\"");
        try (GdbDriver driver = connect()) {
            assertThat(driver.isPaused()).isTrue();
            assertThat(driver.read(Gpa.of(0xF0000), 16)).hasSize(16);
            assertThat(driver.registers(2)).containsKey("rip");
        }
    }

    @Test
    @Order(12)
    void read_of64KiB_equalsTheChunksReadOneByOne_inAtMostTwoRoundTrips() {
        try (GdbDriver driver = connect()) {
            int chunk = driver.preferredChunkBytes();
            int runs = 10;
            long[] oneByOneNanos = new long[runs];
            long[] pipelinedNanos = new long[runs];
            byte[] oneByOne = new byte[64 * 1024];
            byte[] pipelined = new byte[0];
            AccessStats cost = AccessStats.NONE;
            for (int run = 0; run < runs; run++) {
                long start = System.nanoTime();
                for (int offset = 0; offset < oneByOne.length; offset += chunk) {
                    driver.read(Gpa.of(BIOS_ROM + offset), oneByOne, offset, chunk);
                }
                oneByOneNanos[run] = System.nanoTime() - start;

                AccessStats before = driver.stats();
                start = System.nanoTime();
                pipelined = driver.read(Gpa.of(BIOS_ROM), 64 * 1024);
                pipelinedNanos[run] = System.nanoTime() - start;
                cost = driver.stats().minus(before);
            }

            assertThat(pipelined).isEqualTo(oneByOne);
            assertThat(countNonZero(pipelined)).isGreaterThan(1000);
            assertThat(cost.roundTrips()).isLessThanOrEqualTo(2);
            assertThat(cost.requests()).isEqualTo(64 * 1024 / chunk);
            System.out.printf("64 KiB read against QEMU %s, median of %d runs: pipelined %.2f ms (%d round trips),"
                            + " chunk by chunk %.2f ms (%d round trips)%n", "7.2 (TCG, 2 vCPUs)", runs,
                    median(pipelinedNanos) / 1e6, cost.roundTrips(), median(oneByOneNanos) / 1e6,
                    oneByOne.length / chunk);
        }
    }

    @Test
    @Order(13)
    void readAll_of100ScatteredReads_equalsSequentialReads_inAtMostTwoRoundTrips() {
        // The BIOS areas below 1 MiB and below 4 GiB, where QEMU maps firmware: bytes worth comparing.
        java.util.Random random = new java.util.Random(42);
        long[] addresses = new long[100];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = (i % 2 == 0 ? 0xC0000L + random.nextInt(0x40000 - 8)
                    : 0xFFFC0000L + random.nextInt(0x40000 - 8));
        }
        int runs = 20;
        long[] batchNanos = new long[runs];
        long[] batchWaitNanos = new long[runs];
        long[] sequentialNanos = new long[runs];
        long[] sequentialWaitNanos = new long[runs];
        try (GdbDriver driver = connect()) {
            byte[][] sequential = new byte[addresses.length][];
            AccessStats sequentialCost = AccessStats.NONE;
            AccessStats batchCost = AccessStats.NONE;
            List<PhysicalRead> batch = List.of();
            for (int run = 0; run < runs; run++) {
                AccessStats before = driver.stats();
                long start = System.nanoTime();
                for (int i = 0; i < addresses.length; i++) {
                    sequential[i] = driver.read(Gpa.of(addresses[i]), 8);
                }
                sequentialNanos[run] = System.nanoTime() - start;
                sequentialCost = driver.stats().minus(before);
                sequentialWaitNanos[run] = sequentialCost.waitNanos();

                batch = Arrays.stream(addresses).mapToObj(a -> PhysicalRead.of(Gpa.of(a), 8)).toList();
                before = driver.stats();
                start = System.nanoTime();
                driver.readAll(batch);
                batchNanos[run] = System.nanoTime() - start;
                batchCost = driver.stats().minus(before);
                batchWaitNanos[run] = batchCost.waitNanos();
            }

            for (int i = 0; i < addresses.length; i++) {
                assertThat(batch.get(i).buffer()).as("read %d at %x", i, addresses[i]).isEqualTo(sequential[i]);
            }
            assertThat(batch.stream().mapToInt(r -> countNonZero(r.buffer())).sum()).isGreaterThan(100);
            assertThat(batchCost.roundTrips()).isLessThanOrEqualTo(2);
            assertThat(batchCost.requests()).isEqualTo(100);
            assertThat(batchCost.bytesRead()).isEqualTo(800);
            assertThat(sequentialCost.roundTrips()).isEqualTo(100);
            System.out.printf("100 scattered 8-byte reads against QEMU %s, medians of %d runs:"
                            + " readAll %.2f ms (%.2f ms waiting; %d round trips, %d requests),"
                            + " sequential %.2f ms (%.2f ms waiting; %d round trips)%n",
                    "7.2 (TCG, 2 vCPUs)", runs, median(batchNanos) / 1e6, median(batchWaitNanos) / 1e6,
                    batchCost.roundTrips(), batchCost.requests(), median(sequentialNanos) / 1e6,
                    median(sequentialWaitNanos) / 1e6, sequentialCost.roundTrips());
        }
    }

    @Test
    @Order(14)
    void release_afterADebuggerVanishedLeavingABreakpoint_resumesTheVm_andTheBreakpointIsGone() throws Exception {
        Gva hot = hotAddress();
        try (Socket debugger = new Socket("127.0.0.1", gdbPort)) {
            rawExchange(debugger, "?");
            assertThat(rawExchange(debugger, "Z0," + Long.toHexString(hot.value()) + ",1")).isEqualTo("OK");
        } // closed without detaching, as by a killed debugger
        assertThat(qmpStatus()).contains("\"running\": false");
        qmp("cont");
        assertThat(awaitStatus("debug", Duration.ofSeconds(3))).as("the breakpoint left behind stops the VM again")
                .isTrue();

        GdbDriver.Release release = GdbDriver.release(new GdbAddress.Tcp("127.0.0.1", gdbPort), OPTIONS);

        assertThat(release.detached()).isTrue();
        assertThat(release.physicalModeReset()).isTrue();
        assertThat(qmpStatus()).contains("\"status\": \"running\"");
        assertThat(awaitStatus("debug", Duration.ofSeconds(1))).as("no breakpoint is left to stop the VM").isFalse();
        assertThat(qmpStatus()).contains("\"status\": \"running\"");
    }

    /** An address vCPU 1 executes again and again (the firmware's idle loop), proven by one breakpoint hit. */
    private static Gva hotAddress() throws InterruptedException {
        try (GdbDriver driver = connect()) {
            driver.resume();
            Thread.sleep(200);
            driver.pause();
            long rip = driver.register(1, "rip");
            boolean realMode = (driver.register(1, "cr0") & 1) == 0;
            Gva hot = Gva.of(realMode ? (driver.register(1, "cs") << 4) + rip : rip);
            try (BreakpointControl.Breakpoint probe = driver.insert(hot, BreakpointControl.Kind.SOFTWARE)) {
                driver.resume();
                assertThat(driver.awaitStop(Duration.ofSeconds(3))).as("breakpoint at %s hit", hot)
                        .hasValueSatisfying(stop -> assertThat(stop.reason()).isEqualTo(StopEvent.Reason.TRAP));
            }
            return hot;
        }
    }

    /** Sends one packet over a bare socket and returns the first answer that is no stop reply, or the stop reply to '?'. */
    private static String rawExchange(Socket socket, String payload) throws IOException {
        int sum = 0;
        for (byte b : payload.getBytes(StandardCharsets.ISO_8859_1)) {
            sum += b & 0xff;
        }
        socket.getOutputStream().write(String.format("$%s#%02x", payload, sum & 0xff).getBytes(StandardCharsets.ISO_8859_1));
        socket.setSoTimeout(3000);
        InputStream in = socket.getInputStream();
        while (true) {
            int b;
            while ((b = in.read()) != '$') {
                if (b < 0) {
                    throw new IOException("the stub closed the connection");
                }
            }
            StringBuilder packet = new StringBuilder();
            while ((b = in.read()) != '#') {
                packet.append((char) b);
            }
            in.readNBytes(2);
            String answer = packet.toString();
            if (payload.equals("?") || "STWX".indexOf(answer.isEmpty() ? ' ' : answer.charAt(0)) < 0) {
                return answer;
            }
        }
    }

    /** Polls QMP every 50 ms: true as soon as the run state is {@code status}, false when {@code within} passed. */
    private static boolean awaitStatus(String status, Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (qmpStatus().contains("\"status\": \"" + status + "\"")) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static GdbDriver connect() {
        return GdbDriver.connect(new GdbAddress.Tcp("127.0.0.1", gdbPort), OPTIONS);
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static int countNonZero(byte[] bytes) {
        int count = 0;
        for (byte b : bytes) {
            if (b != 0) {
                count++;
            }
        }
        return count;
    }

    private static String qmpStatus() throws IOException {
        return qmp("query-status");
    }

    /** One QMP command over a fresh connection: greeting, qmp_capabilities, the command; returns its reply line. */
    private static String qmp(String command) throws IOException {
        try (SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.connect(UnixDomainSocketAddress.of(qmpSocket));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(socket),
                    StandardCharsets.UTF_8));
            in.readLine();
            send(socket, "{\"execute\":\"qmp_capabilities\"}\n");
            replyLine(in);
            send(socket, "{\"execute\":\"" + command + "\"}\n");
            return replyLine(in);
        }
    }

    private static void send(SocketChannel socket, String json) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            socket.write(buffer);
        }
    }

    private static String replyLine(BufferedReader in) throws IOException {
        while (true) {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("QMP closed the connection");
            }
            if (line.contains("\"return\"") || line.contains("\"error\"")) {
                return line;
            }
        }
    }
}
