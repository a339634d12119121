package io.vmiscope.linux.integrity.kernel;

import io.vmiscope.gdb.GdbAddress;
import io.vmiscope.gdb.GdbDriver;
import io.vmiscope.gdb.GdbOptions;
import io.vmiscope.guest.GuestDistro;
import io.vmiscope.guest.GuestImage;
import io.vmiscope.guest.QemuLauncher;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.guest.VmOptions;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.linux.image.KernelImage;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.profile.KernelProfiles;
import io.vmiscope.linux.profile.ProfileCache;
import io.vmiscope.linux.walk.WalkLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernel-integrity readers on the real demo guest (KASLR on): the clean kernel is intact for all
 * three, and a byte of kernel text and an IDT entry, changed through the stub as a rootkit would, are
 * each reported with the right symbol — and put back, so the guest runs on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveKernelIntegrityIT {

    private QemuVm vm;
    private KernelProfile profile;
    private KernelImage image;

    @BeforeAll
    void bootGuest() {
        GuestImage guest = GuestDistro.BUSYBOX.build();
        vm = QemuLauncher.withDefaults().start(guest, VmOptions.named("kernel-integrity-" + ProcessHandle.current().pid())
                .withKaslr(true).withMemoryMb(GuestDistro.BUSYBOX.defaultMemoryMb()));
        vm.awaitBooted(Duration.ofMinutes(3));
        profile = KernelProfiles.load(guest.kernel(), ProfileCache.atDefaultLocation());
        image = KernelImage.open(guest.kernel());
    }

    @AfterAll
    void stopGuest() {
        if (vm != null) {
            vm.stop();
        }
    }

    /** Attaches (the VM stops), works, detaches (the VM runs again). */
    private <T> T attached(BiFunction<GdbDriver, LinuxGuest, T> work) {
        try (GdbDriver driver = GdbDriver.connect(new GdbAddress.Unix(vm.gdbSocket()), GdbOptions.DEFAULTS)) {
            return work.apply(driver, LinuxGuest.attach(driver, profile, WalkLimits.DEFAULT));
        }
    }

    private KernelTextVerifier textVerifier(LinuxGuest guest) {
        return new KernelTextVerifier(guest.memory(), profile, image.elf(), image.relocations(),
                guest.location().slide());
    }

    @Test
    void cleanKernelText_matchesTheImage_onceRunTimePatchesAndRelocationsAreAccountedFor() {
        KernelTextCheck check = attached((driver, guest) -> textVerifier(guest).verify());

        System.out.println("[kernel text] " + check.summary());
        check.findings().forEach(f -> System.out.println("[kernel text] " + f));
        assertThat(check.findings()).isEmpty();
        assertThat(check.isIntact()).isTrue();
        assertThat(check.pagesCompared()).isGreaterThan(3000);
        assertThat(check.bytesAccounted().get(PatchClass.RELOCATION)).as("KASLR is on").isPositive();
        assertThat(check.bytesAccounted().get(PatchClass.FTRACE)).isPositive();
    }

    @Test
    void cleanIdt_holdsTheHandlersTheKernelInstalls() {
        List<EntryPointFinding> findings = attached((driver, guest) ->
                new EntryPointVerifier(guest.memory(), profile, image.elf(), guest.location().slide()).verify());

        findings.forEach(f -> System.out.println("[idt] " + f));
        assertThat(findings).isEmpty();
    }

    @Test
    void cleanSyscallSwitch_sendsEveryNumberToItsOwnEntryFunction() {
        SyscallDispatchCheck check = attached((driver, guest) ->
                new SyscallDispatchVerifier(guest.memory(), profile, guest.location().slide()).verify());

        check.findings().forEach(f -> System.out.println("[x64_sys_call] " + f));
        assertThat(check.notApplicable()).as("Debian's 6.1.0-57 has the backported switch").isEmpty();
        assertThat(check.numbersChecked()).isEqualTo(451);
        assertThat(check.findings()).isEmpty();
    }
}
