package io.vmiscope.linux.integrity.kernel;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The kernel text reader on the demo guest booted with {@code nokaslr}: intact, nothing relocated. */
class LiveKernelTextNoKaslrIT {

    @Test
    void cleanKernelText_atTheLinkAddress_matchesTheImage_withNoRelocatedBytes() {
        try (DemoGuest demo = DemoGuest.boot("kernel-text-nokaslr", false)) {
            KernelTextCheck check = demo.attached((driver, guest) -> {
                assertThat(guest.location().slide()).isZero();
                return demo.textVerifier(guest).verify();
            });

            System.out.println("[kernel text, nokaslr] " + check.summary());
            assertThat(check.findings()).isEmpty();
            assertThat(check.isIntact()).isTrue();
            assertThat(check.bytesAccounted()).doesNotContainKey(PatchClass.RELOCATION);
            assertThat(check.bytesAccounted().get(PatchClass.FTRACE)).isPositive();
        }
    }
}
