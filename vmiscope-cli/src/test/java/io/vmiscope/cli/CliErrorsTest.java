package io.vmiscope.cli;

import io.vmiscope.guest.CloudKernel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Wrong inputs give one line on stderr that names the problem, never a stack trace. */
class CliErrorsTest {

    private static Path kernel;

    @TempDir
    Path dir;

    @BeforeAll
    static void fetchKernel() {
        kernel = CloudKernel.fetchDefault().vmlinuz();
    }

    private record Run(int exit, String err) {
    }

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, err.toString());
    }

    private static void assertOneLine(Run run, String expected) {
        assertThat(run.exit()).isNotZero();
        assertThat(run.err().lines()).singleElement().asString()
                .startsWith("vmiscope: ").contains(expected).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void theUi_refusesAMissingStore_aTakenPort_andAnAddressNotOfThisMachine() throws IOException {
        assertOneLine(run("serve", "--db", dir.resolve("none.duckdb").toString()), "no store at");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(taken.getLocalPort());
            assertOneLine(run("demo", "--port", port), "cannot listen on 127.0.0.1:" + port);
        }
        assertOneLine(run("demo", "--host", "no-such-host.invalid"), "--host 'no-such-host.invalid' is not an address");
        assertOneLine(run("demo", "--host", "0.0.0.0", "--no-token"), "--no-token is for loopback addresses only");
    }

    @Test
    void missingKernelImage_isNamed() {
        assertOneLine(run("profile", "show", "--kernel", dir.resolve("nope").toString()), "nope");
    }

    @Test
    void corruptKernelImage_isNamed() throws IOException {
        Path junk = dir.resolve("vmlinuz-junk");
        byte[] head = Files.readAllBytes(kernel);
        Files.write(junk, java.util.Arrays.copyOf(head, 300_000)); // a truncated real image

        assertOneLine(run("profile", "show", "--kernel", junk.toString()), "vmlinuz-junk");
    }

    @Test
    void garbageIsfFile_isNamed() throws IOException {
        Path isf = dir.resolve("profile.json");
        Files.writeString(isf, "{\"metadata\": {}, \"symbols\": 7}");

        assertOneLine(run("profile", "show", "--kernel", isf.toString()), "profile.json");
    }

    @Test
    void noStubListening_isNamed() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }

        assertOneLine(run("ps", "--gdb", "127.0.0.1:" + port, "--kernel", kernel.toString()),
                "no GDB stub listening at 127.0.0.1:" + port);
    }

    @Test
    void stubAnsweringGarbage_isNamed() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread liar = new Thread(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    s.getInputStream().read(new byte[64]);
                    out.write("HTTP/1.1 400 Bad Request\r\n\r\nnot a gdbstub".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(2000);
                } catch (IOException | InterruptedException e) {
                    // the client hung up: that is the point
                }
            });
            liar.start();

            assertOneLine(run("ps", "--gdb", "127.0.0.1:" + server.getLocalPort(), "--kernel", kernel.toString()),
                    "127.0.0.1:" + server.getLocalPort());
            liar.join(5000);
        }
    }

    @Test
    void noStubAtAUnixSocket_isNamed() {
        Path socket = dir.resolve("none.sock");

        assertOneLine(run("ps", "--gdb", "unix:" + socket, "--kernel", kernel.toString()),
                "cannot connect to GDB stub at unix:" + socket);
    }

    @Test
    void aGdbAddressOfNeitherForm_isNamed() {
        assertOneLine(run("ps", "--gdb", "1234", "--kernel", kernel.toString()),
                "--gdb wanted unix:PATH or HOST:PORT, not '1234'");
    }

    @Test
    void aTcpStubBeyondLoopback_getsAWarningBeforeAnythingElse() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }

        CliRun run = CliRun.of("ps", "--gdb", "0.0.0.0:" + port, "--kernel", kernel.toString());

        assertThat(run.exit()).isNotZero();
        assertThat(run.err().lines()).hasSize(2);
        assertThat(run.err().lines().findFirst()).hasValueSatisfying(line -> assertThat(line)
                .startsWith("vmiscope: warning: the gdbstub at 0.0.0.0:" + port + " is not on loopback")
                .contains("prefer -gdb unix:PATH"));
    }

    @Test
    void gdbWithoutKernel_saysWhatIsMissing() {
        assertOneLine(run("ps", "--gdb", "127.0.0.1:1234"), "--gdb needs --kernel");
    }

    @Test
    void unknownVm_isNamed() {
        assertOneLine(run("ps", "--vm", "no-such-vm"), "no running VM named 'no-such-vm'");
    }

    @Test
    void badDurations_andUnknownWorkloads_areNamed_beforeAnythingBoots() {
        assertOneLine(run("overhead", "measure", "--window", "3 seconds", "--dry-run"),
                "--window needs a duration like 500ms, 5s or 1m, not '3 seconds'");
        assertOneLine(run("overhead", "measure", "--warm-up", "10ms", "--dry-run"),
                "--warm-up: the duration must be at least 100ms, not 10ms");
        assertOneLine(run("overhead", "measure", "--workloads", "cpu,nginx", "--dry-run"),
                "unknown workload 'nginx'; known: web, syscalls, forkexec, fileio, cpu");
        assertOneLine(run("overhead", "fit", "--db", dir.resolve("none.duckdb").toString()),
                "no store at " + dir.resolve("none.duckdb") + ": run 'vmiscope overhead measure' first");
    }
}
