package io.vmiscope.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One demo guest under TCG with KASLR on: console, services, modules, QMP. */
class GuestBootIT {

    private static QemuVm vm;
    private static Duration bootTime;

    @BeforeAll
    static void boot() {
        vm = TestGuests.launcher().start(TestGuests.image(),
                VmOptions.named(TestGuests.uniqueName("boot")).withAccelerator(Accelerator.TCG).withVcpus(2));
        bootTime = vm.awaitBooted(Duration.ofSeconds(90));
        System.out.println("[GuestBootIT] TCG boot, start to console ready: " + bootTime.toMillis() + " ms");
    }

    @AfterAll
    static void stop() {
        if (vm != null) {
            TestGuests.stopAndDelete(vm);
        }
    }

    @Test
    void console_runsEcho_andReturnsItsOutput() {
        CommandResult result = vm.console().run("echo hello");

        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).isEqualTo("hello\n");
        assertThat(bootTime).isLessThan(Duration.ofSeconds(90));
    }

    @Test
    void console_readsInitsCommandLine_asBusyboxInit() {
        assertThat(vm.console().run("cat /proc/1/cmdline").rawOutput()).startsWith("init".getBytes());
    }

    @Test
    void console_propagatesExitCodes() {
        assertThat(vm.console().run("false").exitCode()).isEqualTo(1);
        assertThat(vm.console().run("exit 42").exitCode()).isEqualTo(42);
        assertThat(vm.console().run("true").succeeded()).isTrue();
    }

    @Test
    void console_framesOddBytes_exactly() {
        byte[] expected = new byte[256];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) i;
        }
        StringBuilder octal = new StringBuilder();
        for (byte b : expected) {
            octal.append(String.format("\\%03o", b & 0xff));
        }
        String command = "printf '" + octal + "'; printf '\\036fake-1 end 0\\n'";

        CommandResult result = vm.console().run(command);

        byte[] tail = "\u001efake-1 end 0\n".getBytes();
        byte[] all = new byte[expected.length + tail.length];
        System.arraycopy(expected, 0, all, 0, expected.length);
        System.arraycopy(tail, 0, all, expected.length, tail.length);
        assertThat(result.rawOutput()).isEqualTo(all);
    }

    @Test
    void console_keepsStdoutAndStderr_andCommandsWithQuotes() {
        CommandResult result = vm.console().run("echo \"out 'q'\"; echo err >&2; echo $((6*7))");

        assertThat(result.output()).isEqualTo("out 'q'\nerr\n42\n");
    }

    @Test
    void console_killsACommand_atItsTimeLimit_andStaysUsable() {
        CommandResult result = vm.console().run("sleep 30", Duration.ofSeconds(1));

        assertThat(result.exitCode()).isEqualTo(137);
        assertThat(vm.console().run("echo still here").output()).isEqualTo("still here\n");
    }

    @Test
    void console_servesConcurrentCallers_oneCommandAtATime() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<String>> outputs = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                outputs.add(pool.submit(() -> vm.console().run("echo caller-" + n).output()));
            }
            for (int i = 0; i < 8; i++) {
                assertThat(outputs.get(i).get()).isEqualTo("caller-" + i + "\n");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void console_survivesAReconnect() {
        vm.console().close();

        assertThat(vm.console().run("echo again").output()).isEqualTo("again\n");
    }

    @Test
    void httpd_servesTheIndexPage_andTheStatusCgi_toTheHost() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        URI base = URI.create("http://127.0.0.1:" + vm.httpPort());

        HttpResponse<String> index = http.send(HttpRequest.newBuilder(base.resolve("/")).timeout(Duration.ofSeconds(20))
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> status = http.send(HttpRequest.newBuilder(base.resolve("/cgi-bin/status"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("vmiscope demo guest");
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).containsPattern("uptime_seconds \\d+\\.\\d+").containsPattern("processes \\d+");
    }

    @Test
    void services_run_inTheGuest() {
        for (String service : new String[] {"syslogd", "klogd", "crond", "httpd"}) {
            assertThat(vm.console().run("pidof " + service).output()).as(service).matches("\\d+( \\d+)*\\n");
        }
        assertThat(vm.console().run("cat /var/spool/cron/crontabs/root").output()).contains("/var/log/heartbeat");
        assertThat(vm.console().run("ip -4 addr show eth0").output()).contains("10.0.2.15/24");
    }

    @Test
    void kernel_runsWithKaslr_soTextIsNotAtTheLinkAddress() {
        String text = vm.console().run("grep ' _text$' /proc/kallsyms").orThrow().output();

        assertThat(text).matches("[0-9a-f]{16} T _text\\n");
        assertThat(Long.parseUnsignedLong(text.substring(0, 16), 16)).isNotEqualTo(0xffffffff81000000L);
    }

    @Test
    void bootModules_areLoaded_andSpareModules_canBeInserted() {
        String modules = vm.console().run("cat /proc/modules").output();
        for (String module : TestGuests.image().bootModules()) {
            assertThat(modules).contains(module + " ");
        }
        String dummy = TestGuests.image().spareModules().stream().filter(p -> p.endsWith("/dummy.ko")).findFirst()
                .orElseThrow();

        vm.console().run("insmod " + dummy).orThrow();

        assertThat(vm.console().run("lsmod").output()).contains("dummy");
        vm.console().run("rmmod dummy").orThrow();
    }

    @Test
    void qmp_reportsRunning_andStopContToggleIt() {
        Qmp qmp = vm.qmp();
        assertThat(qmp.status()).isEqualTo("running");

        qmp.stop();
        assertThat(qmp.isRunning()).isFalse();
        assertThat(qmp.status()).isEqualTo("paused");

        qmp.cont();
        assertThat(qmp.isRunning()).isTrue();
        assertThat(vm.console().run("echo resumed").output()).isEqualTo("resumed\n");
    }
}
