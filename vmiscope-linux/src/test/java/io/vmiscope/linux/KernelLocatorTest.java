package io.vmiscope.linux;

import io.vmiscope.linux.symbols.ProfileException;
import io.vmiscope.x86.GuestMemory;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KernelLocatorTest {

    @Test
    void locate_findsTheSlide_byPageTablesAndBanner() {
        FakeLinux linux = new FakeLinux(0x1320_0000L);

        KernelLocation location = KernelLocator.locate(linux.memory(), linux.guest, linux.profile());

        assertThat(location.slide()).isEqualTo(0x1320_0000L);
        assertThat(location.method()).contains("linux_banner");
    }

    @Test
    void locate_findsSlideZero_forNokaslrGuests() {
        FakeLinux linux = new FakeLinux(0);

        assertThat(KernelLocator.locate(linux.memory(), linux.guest, linux.profile()).slide()).isZero();
    }

    @Test
    void locate_refusesAProfileOfAnotherKernel_namingWhatItTried() {
        FakeLinux linux = new FakeLinux(0x0400_0000L);

        assertThatThrownBy(() -> KernelLocator.locate(linux.memory(), linux.guest,
                linux.profile("Linux version 5.10.0-other (x@y) #1 SMP\n")))
                .isInstanceOf(ProfileException.class)
                .hasMessageContaining("no KASLR slide shows linux_banner")
                .hasMessageContaining("slides");
    }

    @Test
    void locate_usesTheKernelTable_whenTheVcpuStoppedOnPtiUserTables() {
        FakeLinux linux = new FakeLinux(0x0800_0000L);
        long kernelCr3 = linux.kernelTables.cr3();
        // PTI pairs the tables: the user one is the kernel one with bit 12 set, and maps no kernel text.
        linux.guest.setRegister(linux.guest.vcpus().get(0), "cr3", kernelCr3 | (1L << 12));
        GuestMemory memory = linux.memory();

        KernelLocation location = KernelLocator.locate(memory, linux.guest, linux.profile());

        assertThat(location.slide()).isEqualTo(0x0800_0000L);
        assertThat(location.kernelCr3()).isEqualTo(kernelCr3);
        assertThat(memory.kernelCr3() & ~0xfffL).isEqualTo(kernelCr3);
    }

    @Test
    void candidateSlides_tryTheSlidesThatContainAKernelRipFirst() {
        long rip = FakeLinux.TEXT + 0x0a00_0000L + 0x1234;

        List<Long> slides = KernelLocator.candidateSlides(FakeLinux.TEXT, FakeLinux.END, List.of(rip, 0x401000L));

        // the image is 8 MiB long, so exactly 4 slides of 2 MiB put rip inside it
        assertThat(slides.subList(0, 4)).containsExactlyInAnyOrder(0x0a00_0000L, 0x09e0_0000L, 0x09c0_0000L, 0x09a0_0000L);
        assertThat(slides).hasSize(504).doesNotHaveDuplicates();
    }
}
