package io.vmiscope.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A demo guest booted with {@code nokaslr}. */
class NoKaslrIT {

    private static QemuVm vm;

    @BeforeAll
    static void boot() {
        vm = TestGuests.launcher().start(TestGuests.image(),
                VmOptions.named(TestGuests.uniqueName("nokaslr")).withAccelerator(Accelerator.TCG).withKaslr(false));
        vm.awaitBooted(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() {
        if (vm != null) {
            TestGuests.stopAndDelete(vm);
        }
    }

    @Test
    void kernel_withNokaslr_hasTextAtTheLinkAddress() {
        assertThat(vm.console().run("cat /proc/cmdline").output()).contains("nokaslr");
        assertThat(vm.console().run("grep ' _text$' /proc/kallsyms").output())
                .isEqualTo("ffffffff81000000 T _text\n");
    }
}
