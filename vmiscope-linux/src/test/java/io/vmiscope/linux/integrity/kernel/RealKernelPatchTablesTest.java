package io.vmiscope.linux.integrity.kernel;

import io.vmiscope.guest.CloudKernel;
import io.vmiscope.linux.image.KernelImage;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.profile.KernelProfiles;
import io.vmiscope.linux.profile.ProfileCache;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the readers rebuild from Debian's real 6.1 cloud kernel image, without a guest. */
class RealKernelPatchTablesTest {

    private static KernelImage image;
    private static KernelProfile profile;

    @BeforeAll
    static void open() {
        image = KernelImage.open(CloudKernel.fetchDefault().vmlinuz());
        profile = KernelProfiles.load(image.path(), ProfileCache.atDefaultLocation());
    }

    @Test
    void patchTables_nameTensOfThousandsOfSites_ofEveryClassTheKernelHas() {
        TextPatchSites sites = TextPatchSites.read(image.elf(), profile, profile.symbol("_stext"), profile.symbol("_etext"));

        assertThat(sites.siteCounts()).containsKeys(PatchClass.ALTERNATIVE, PatchClass.PARAVIRT, PatchClass.RETPOLINE,
                PatchClass.RETURN_THUNK, PatchClass.SMP_LOCK, PatchClass.JUMP_LABEL, PatchClass.FTRACE,
                PatchClass.STATIC_CALL);
        assertThat(sites.siteCounts().get(PatchClass.FTRACE)).isGreaterThan(30_000);
        assertThat(sites.siteCounts().get(PatchClass.RETURN_THUNK)).isGreaterThan(40_000);
        assertThat(sites.classAt(profile.symbol("do_sys_openat2"))).as("the call __fentry__ at its entry")
                .contains(PatchClass.FTRACE);
        assertThat(sites.classAt(profile.symbol("__SCT__cond_resched"))).contains(PatchClass.STATIC_CALL);
    }

    @Test
    void kaslrRelocations_areTheTableAppendedToThePayload_andEveryEntryLiesInTheImage() {
        assertThat(image.relocations().size()).isGreaterThan(150_000);
        assertThat(image.relocations().toString()).matches("KaslrRelocations\\[\\d+ 32-bit, \\d+ inverse 32-bit, \\d+ 64-bit]");
    }

    @Test
    void expectedIdt_isTheEarlyDefAndApicTables_thenTheIrqAndSpuriousStubs() {
        IdtLayout idt = IdtLayout.read(image.elf(), profile);

        assertThat(idt.expected(0).symbol()).isEqualTo("asm_exc_divide_error");
        assertThat(idt.expected(3).symbol()).isEqualTo("asm_exc_int3");
        assertThat(idt.expected(3).bits()).as("int3 is reachable from user mode (DPL 3)").isEqualTo(0xee00);
        assertThat(idt.expected(8).bits() & 7).as("#DF runs on its own IST stack").isEqualTo(1);
        assertThat(idt.expected(14).symbol()).isEqualTo("asm_exc_page_fault");
        assertThat(idt.expected(20).symbol()).isEqualTo("early_idt_handler_array+0xb4");
        assertThat(idt.expected(33).symbol()).isEqualTo("irq_entries_start+0x8");
        assertThat(idt.expected(128).symbol()).isEqualTo("asm_int80_emulation");
        assertThat(idt.expected(236).symbol()).isEqualTo("asm_sysvec_apic_timer_interrupt");
        assertThat(idt.expected(237).symbol()).isEqualTo("spurious_entries_start+0x8");
    }
}
