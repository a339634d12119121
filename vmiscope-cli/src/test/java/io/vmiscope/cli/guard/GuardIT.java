package io.vmiscope.cli.guard;

import io.vmiscope.cli.Main;
import io.vmiscope.gdb.GdbAddress;
import io.vmiscope.gdb.GdbDriver;
import io.vmiscope.gdb.GdbOptions;
import io.vmiscope.cli.TestGuests;
import io.vmiscope.guest.GuestDistro;
import io.vmiscope.guest.GuestImage;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.linux.profile.KernelProfiles;
import io.vmiscope.linux.profile.ProfileCache;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guard and {@code guest release} on the real demo guest: a tracer killed with SIGKILL while it holds
 * the VM stopped with a breakpoint in the kernel, a tracer that closes cleanly, and a debugger that
 * vanished without a guard. One booted guest for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuardIT {

    private static final Duration HTTP_DEADLINE = Duration.ofSeconds(5);

    private final List<ProcessHandle> children = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private GuestImage image;
    private QemuVm vm;
    @TempDir
    Path workDir;

    /** The guest the class runs on: the demo guest here, another one in a subclass. */
    GuestDistro distro() {
        return GuestDistro.BUSYBOX;
    }

    @BeforeAll
    void bootGuest() {
        image = TestGuests.image(distro());
        vm = TestGuests.boot(distro(), "guard-" + distro().id(), true);
        // The tracer child loads the profile from the cache this fills.
        KernelProfiles.load(image.kernel(), ProfileCache.atDefaultLocation());
    }

    /** A test that failed half-way must not leave its tracer attached: the next test could not connect. */
    @AfterEach
    void stopChildren() {
        children.forEach(ProcessHandle::destroyForcibly);
        children.clear();
    }

    @AfterAll
    void stopGuest() {
        if (vm != null) {
            vm.stop();
        }
    }

    @Test
    void killedTracer_isReleasedByItsGuard_httpdAnswersWithin5s_andNoBreakpointIsLeft() throws Exception {
        Path stderr = workDir.resolve("victim.err");
        Process victim = new ProcessBuilder(javaExecutable(), "-cp", System.getProperty("java.class.path"),
                TracingVictim.class.getName(), vm.gdbSocket().toString(), vm.guardQmpSocket().toString(),
                image.kernel().toString())
                .redirectError(stderr.toFile())
                .start();
        children.add(victim.toHandle());
        List<String> said = awaitReady(victim, stderr);
        String[] guardLine = said.get(0).split(" ", 3);
        ProcessHandle guard = ProcessHandle.of(Long.parseLong(guardLine[1])).orElseThrow();
        children.add(guard);
        Path guardLog = Path.of(guardLine[2]);
        assertThat(vm.qmp().isRunning()).as("the tracer holds the VM stopped").isFalse();
        assertThat(httpAnswers(Duration.ofMillis(500))).as("httpd of a stopped VM").isFalse();

        long killedAt = System.nanoTime();
        victim.destroyForcibly();
        Optional<Duration> untilHttp = awaitHttp(killedAt);

        System.out.printf("guard: from kill -9 of the tracer to httpd answering: %s%n",
                untilHttp.map(d -> d.toMillis() + " ms").orElse("no answer"));
        assertThat(untilHttp).as("httpd answers within %s; guard log:%n%s", HTTP_DEADLINE, log(guardLog)).isPresent();
        assertThat(vm.qmp().status()).isEqualTo("running");
        // A breakpoint left at __x64_sys_openat would stop the VM at the next open().
        long openingUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        int opened = 0;
        while (System.nanoTime() < openingUntil) {
            assertThat(vm.console().run("cat /etc/passwd", Duration.ofSeconds(5)).orThrow().output()).contains("root:");
            opened++;
        }
        assertThat(opened).isPositive();
        assertThat(vm.qmp().status()).isEqualTo("running");
        guard.onExit().get(10, TimeUnit.SECONDS);
        assertThat(log(guardLog)).contains("is gone without a clean exit").contains("released unix:" + vm.gdbSocket())
                .contains("QMP status: running").contains("done: the VM runs");
    }

    @Test
    void killedMonitorCommand_whileTracing_leavesTheVmRunning_withNoBreakpoint() throws Exception {
        Path stderr = workDir.resolve("monitor.err");
        Process monitor = new ProcessBuilder(javaExecutable(), "-cp", System.getProperty("java.class.path"),
                "io.vmiscope.cli.Main", "monitor", "--vm", vm.name(), "--action", "procevents", "--json")
                .redirectError(stderr.toFile())
                .redirectOutput(workDir.resolve("monitor.out").toFile())
                .start();
        children.add(monitor.toHandle());
        awaitLogLine(stderr, "vmiscope: monitoring");
        // hits on the exec/fork/exit hooks; the console's default limit, since the guest's own start-up work
        // is traced too (the Debian guest's first traced command took 36 s here, the next ones 1-2 s)
        for (int i = 0; i < 3; i++) {
            vm.console().run("/bin/true").orThrow();
        }
        assertThat(Files.readString(workDir.resolve("monitor.out"))).as("the monitor traced").contains("\"exec\"");

        long killedAt = System.nanoTime();
        monitor.destroyForcibly();
        Optional<Duration> untilHttp = awaitHttp(killedAt);

        System.out.printf("guard: from kill -9 of 'vmiscope monitor' to httpd answering: %s%n",
                untilHttp.map(d -> d.toMillis() + " ms").orElse("no answer"));
        assertThat(untilHttp).as("httpd answers within %s", HTTP_DEADLINE).isPresent();
        // leftover breakpoints on the exec/fork/exit hooks would stop the VM at the next command
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < until) {
            vm.console().run("/bin/true", Duration.ofSeconds(5)).orThrow();
        }
        assertThat(vm.qmp().status()).isEqualTo("running");
    }

    @Test
    void cleanClose_endsTheGuardWithin1s_andLeavesTheVmAlone() throws Exception {
        try (GdbDriver driver = GdbDriver.connect(gdb(), GdbOptions.DEFAULTS)) {
            Guard guard = GuardLauncher.start(gdb(), Optional.of(vm.guardQmpSocket()));
            children.add(guard.process());
            awaitLogLine(guard.logFile(), "guarding");

            guard.close();

            guard.process().onExit().get(1, TimeUnit.SECONDS);
            assertThat(Files.exists(guard.cleanExitFile())).isTrue();
            Thread.sleep(300);
            assertThat(vm.qmp().isRunning()).as("still held stopped by this test's debugger").isFalse();
            assertThat(driver.register(driver.vcpus().get(0), "rip")).as("this debugger's connection works").isNotZero();
            assertThat(log(guard.logFile()).lines()).singleElement().asString().contains("guarding unix:" + vm.gdbSocket());
        }
        assertThat(vm.qmp().isRunning()).isTrue();
    }

    @Test
    void guestRelease_resumesAVmThatAKilledDebuggerLeftStopped() throws Exception {
        try (SocketChannel debugger = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            debugger.connect(UnixDomainSocketAddress.of(vm.gdbSocket()));
            debugger.write(ByteBuffer.wrap("$?#3f".getBytes(StandardCharsets.US_ASCII)));
            readPacket(Channels.newInputStream(debugger));
        } // gone without detaching: as if killed
        assertThat(vm.qmp().isRunning()).as("a vanished debugger leaves the VM stopped").isFalse();

        Run run = cli("guest", "release", vm.name());

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("QMP status before: paused").contains("released unix:" + vm.gdbSocket())
                .contains("QMP status now: running");
        assertThat(vm.qmp().status()).isEqualTo("running");
        assertThat(awaitHttp(System.nanoTime())).isPresent();
    }

    @Test
    void guestRelease_whileADebuggerIsAttached_refuses_andLeavesTheVmToIt() throws Exception {
        try (GdbDriver driver = GdbDriver.connect(gdb(), GdbOptions.DEFAULTS)) {
            Run run = cli("guest", "release", vm.name());

            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err()).contains("has a debugger attached (a client of unix:" + vm.gdbSocket() + ")");
            assertThat(driver.register(driver.vcpus().get(0), "rip")).as("this debugger's connection works").isNotZero();
        }
        Thread.sleep(500);
        assertThat(vm.qmp().status()).as("no release attempt was queued to stop the VM after the detach")
                .isEqualTo("running");
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        PrintStream saved = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cli = Main.commandLine();
            cli.setErr(new PrintWriter(err, true));
            exit = cli.execute(args);
        } finally {
            System.setOut(saved);
        }
        Run run = new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
        System.out.print(run.out() + run.err());
        return run;
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command().orElseThrow();
    }

    /** The child's stdout lines up to {@code ready}; fails with its stderr when it ends or takes too long. */
    private static List<String> awaitReady(Process child, Path stderr) throws Exception {
        List<String> lines = new ArrayList<>();
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            try {
                BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.equals("ready")) {
                        return true;
                    }
                    lines.add(line);
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        });
        boolean isReady;
        try {
            isReady = ready.get(2, TimeUnit.MINUTES);
        } catch (java.util.concurrent.TimeoutException e) {
            isReady = false;
        }
        assertThat(isReady).as("tracer ready; its stderr:%n%s", log(stderr)).isTrue();
        assertThat(lines).singleElement().asString().startsWith("guard ");
        return lines;
    }

    /** Time from {@code sinceNanos} to the first HTTP answer of the guest's httpd, if within {@link #HTTP_DEADLINE}. */
    private Optional<Duration> awaitHttp(long sinceNanos) throws InterruptedException {
        long deadline = sinceNanos + HTTP_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (httpAnswers(Duration.ofMillis(Math.max(100, Math.min(1000, (deadline - System.nanoTime()) / 1_000_000))))) {
                return Optional.of(Duration.ofNanos(System.nanoTime() - sinceNanos));
            }
            Thread.sleep(50);
        }
        return Optional.empty();
    }

    private boolean httpAnswers(Duration timeout) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + vm.httpPort() + "/"))
                .timeout(timeout).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitLogLine(Path logFile, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!log(logFile).contains(text)) {
            assertThat(System.nanoTime()).as("guard log %s shows '%s'", logFile, text).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static String log(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    /** Reads one {@code $...#xx} packet, skipping acknowledgements. */
    private GdbAddress gdb() {
        return new GdbAddress.Unix(vm.gdbSocket());
    }

    private static void readPacket(InputStream in) throws IOException {
        int b;
        do {
            b = in.read();
        } while (b != '#' && b >= 0);
        in.readNBytes(2);
    }
}
