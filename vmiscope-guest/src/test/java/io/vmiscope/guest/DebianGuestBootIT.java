package io.vmiscope.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Debian guest under TCG with KASLR on: systemd reaches running (or degraded, the failed units
 * printed) within 90 s, its services and user are there, and its image comes from the cache.
 */
class DebianGuestBootIT {

    private static final Duration BOOT_LIMIT = Duration.ofSeconds(90);

    private static GuestImage image;
    private static QemuVm vm;
    private static String systemState;
    private static Duration bootTime;

    @BeforeAll
    static void boot() {
        image = GuestDistro.DEBIAN.build();
        vm = TestGuests.launcher().start(image, VmOptions.named(TestGuests.uniqueName("debian"))
                .withAccelerator(Accelerator.TCG).withMemoryMb(GuestDistro.DEBIAN.defaultMemoryMb()));
        Instant deadline = Instant.now().plus(BOOT_LIMIT);
        vm.awaitBooted(BOOT_LIMIT);
        long left = Math.max(1, Duration.between(Instant.now(), deadline).toSeconds());
        systemState = vm.console().run("timeout " + left + " systemctl is-system-running --wait; "
                + "systemctl list-units --failed --no-legend --plain", Duration.ofSeconds(left + 5)).output();
        bootTime = Duration.between(vm.state().startedAt(), Instant.now());
        System.out.printf("[DebianGuestBootIT] TCG boot, start to systemd '%s': %d ms%n",
                systemState.strip().replace('\n', ';'), bootTime.toMillis());
    }

    @AfterAll
    static void stop() {
        if (vm != null) {
            TestGuests.stopAndDelete(vm);
        }
    }

    @Test
    void systemd_isRunningOrDegraded_within90s() {
        assertThat(systemState.lines().findFirst().orElse("")).isIn("running", "degraded");
        assertThat(bootTime).isLessThan(BOOT_LIMIT);
    }

    @Test
    void pid1_isSystemd_onTheExt4RootDisk_withTheCloudKernel() {
        assertThat(vm.console().run("cat /proc/1/comm").orThrow().output()).isEqualTo("systemd\n");
        assertThat(vm.console().run("findmnt -n -o SOURCE,FSTYPE /").orThrow().output().strip())
                .isEqualTo("/dev/vda ext4");
        assertThat(vm.console().run("uname -r").orThrow().output().strip()).isEqualTo(image.kernelVersion());
    }

    @Test
    void theRealPrograms_areThere_andTheUserIs1000WithSudo() {
        assertThat(vm.console().run("for p in bash python3 curl wget nc sshd nginx cron sudo ps; do "
                + "command -v $p >/dev/null || echo missing $p; done").orThrow().output()).isEmpty();
        assertThat(vm.console().run("id -u user").orThrow().output().strip()).isEqualTo("1000");
        assertThat(vm.console().run("runuser -u user -- sudo -n id -u").orThrow().output().strip()).isEqualTo("0");
        assertThat(vm.console().run("systemctl is-active nginx ssh cron systemd-networkd").orThrow().output())
                .isEqualTo("active\nactive\nactive\nactive\n");
    }

    @Test
    void nginx_answersOnTheForwardedPort() throws Exception {
        HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + vm.httpPort() + "/"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("vmiscope Debian guest");
        assertThat(response.headers().firstValue("server").orElse("")).startsWith("nginx");
    }

    @Test
    void kaslr_isOn_andKernelAddressesAreReadable() {
        String text = vm.console().run("grep ' _text$' /proc/kallsyms | cut -d' ' -f1").orThrow().output().strip();
        assertThat(Long.parseUnsignedLong(text, 16)).isNotEqualTo(0xffff_ffff_8100_0000L).isNotZero();
    }

    @Test
    void aSecondBuild_reusesTheCachedImage_untouched_andAVmLeavesItUnwritten() throws Exception {
        FileTime written = Files.getLastModifiedTime(image.rootDisk().orElseThrow());
        vm.console().run("echo changed >/root/vmiscope-write-test && sync").orThrow();

        GuestImage again = GuestDistro.DEBIAN.build();

        assertThat(again).isEqualTo(image);
        assertThat(Files.getLastModifiedTime(again.rootDisk().orElseThrow())).isEqualTo(written);
    }
}
