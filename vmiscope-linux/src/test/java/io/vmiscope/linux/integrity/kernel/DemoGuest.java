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

import java.time.Duration;
import java.util.function.BiFunction;

/** A booted demo guest for the live tests of this package, with its kernel's profile and image; close stops it. */
final class DemoGuest implements AutoCloseable {

    final QemuVm vm;
    final KernelProfile profile;
    final KernelImage image;

    private DemoGuest(QemuVm vm, KernelProfile profile, KernelImage image) {
        this.vm = vm;
        this.profile = profile;
        this.image = image;
    }

    /** Boots the demo guest named {@code prefix-<pid>}, KASLR on or off. */
    static DemoGuest boot(String prefix, boolean kaslr) {
        GuestImage guest = GuestDistro.BUSYBOX.build();
        QemuVm vm = QemuLauncher.withDefaults().start(guest, VmOptions.named(prefix + "-" + ProcessHandle.current().pid())
                .withKaslr(kaslr).withMemoryMb(GuestDistro.BUSYBOX.defaultMemoryMb()));
        try {
            vm.awaitBooted(Duration.ofMinutes(3));
            return new DemoGuest(vm, KernelProfiles.load(guest.kernel(), ProfileCache.atDefaultLocation()),
                    KernelImage.open(guest.kernel()));
        } catch (RuntimeException e) {
            vm.stop();
            throw e;
        }
    }

    /** Attaches (the VM stops), works, detaches (the VM runs again). */
    <T> T attached(BiFunction<GdbDriver, LinuxGuest, T> work) {
        try (GdbDriver driver = GdbDriver.connect(new GdbAddress.Unix(vm.gdbSocket()), GdbOptions.DEFAULTS)) {
            return work.apply(driver, LinuxGuest.attach(driver, profile, WalkLimits.DEFAULT));
        }
    }

    KernelTextVerifier textVerifier(LinuxGuest guest) {
        return new KernelTextVerifier(guest.memory(), profile, image.elf(), image.relocations(), guest.location().slide());
    }

    @Override
    public void close() {
        vm.stop();
    }
}
