package io.vmiscope.cli;

import io.vmiscope.gdb.GdbAddress;
import io.vmiscope.gdb.GdbDriver;
import io.vmiscope.gdb.GdbOptions;
import io.vmiscope.guest.GuestImage;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.linux.module.ModuleInfo;
import io.vmiscope.linux.module.ModuleSnapshotDiff;
import io.vmiscope.linux.module.ModuleState;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.profile.KernelProfiles;
import io.vmiscope.linux.profile.ProfileCache;
import io.vmiscope.linux.walk.WalkLimits;
import io.vmiscope.linux.walk.WalkResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module list read from outside (VMI) against the guest's own /proc/modules, on the real demo
 * guest under QEMU, and a module loaded and removed in the guest seen coming and going.
 *
 * <p>Which size /proc/modules shows: Linux 6.1 prints {@code init_layout.size + core_layout.size}
 * (kernel/module/procfs.c), and once a module's init has run the kernel frees the init part and sets
 * {@code init_layout.size} to 0, so for every live module the column equals {@code core_layout.size},
 * the {@link ModuleInfo#sizeBytes()} that VMI reads. The address column is {@code core_layout.base}
 * ({@link ModuleInfo#base()}), and the reference count column is {@code refcnt} minus the loader's
 * own reference.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveModuleListIT {

    private QemuVm vm;
    private GuestImage image;
    private KernelProfile profile;

    @BeforeAll
    void bootGuest() {
        image = TestGuests.image();
        vm = TestGuests.boot("live-modules");
        profile = KernelProfiles.load(image.kernel(), ProfileCache.atDefaultLocation());
    }

    @AfterAll
    void stopGuest() {
        if (vm != null) {
            vm.stop();
        }
    }

    /** Attaches, works, detaches: the VM runs again afterwards. */
    private <T> T attached(Function<LinuxGuest, T> work) {
        try (GdbDriver driver = GdbDriver.connect(new GdbAddress.Unix(vm.gdbSocket()), GdbOptions.DEFAULTS)) {
            return work.apply(LinuxGuest.attach(driver, profile, WalkLimits.DEFAULT));
        }
    }

    /** Each line of /proc/modules by module name: "name size refcount deps state address". */
    private Map<String, String[]> procModules() {
        Map<String, String[]> modules = new HashMap<>();
        for (String line : vm.console().run("cat /proc/modules").orThrow().output().split("\n")) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length >= 6) {
                modules.put(fields[0], fields);
            }
        }
        return modules;
    }

    /** The state column of /proc/modules. */
    private static String procState(ModuleState state) {
        return switch (state) {
            case LIVE -> "Live";
            case COMING -> "Loading";
            case GOING -> "Unloading";
            case UNFORMED, UNKNOWN -> "?";
        };
    }

    private static String procView(ModuleInfo m) {
        return m.sizeBytes() + " " + (m.refcount() - 1) + " " + procState(m.state()) + " " + m.base();
    }

    private static String procView(String[] fields) {
        return fields[1] + " " + fields[2] + " " + fields[4] + " " + fields[5];
    }

    @Test
    void moduleList_matchesTheGuestsOwnProcModules_namesSizesStatesAndBases() {
        Map<String, String[]> before = procModules();
        WalkResult<ModuleInfo> vmi = attached(LinuxGuest::modules);
        Map<String, String[]> after = procModules();

        assertThat(vmi.isComplete()).as("anomalies: %s", vmi.anomalies()).isTrue();
        assertThat(before.keySet()).as("the guest loads its boot modules").containsAll(image.bootModules());
        assertThat(before.keySet()).isEqualTo(after.keySet());
        Map<String, String> seen = new HashMap<>();
        vmi.items().stream().filter(m -> m.state() != ModuleState.UNFORMED) // /proc/modules skips these
                .forEach(m -> seen.put(m.name(), procView(m)));
        assertThat(seen.keySet()).isEqualTo(before.keySet());
        for (String name : before.keySet()) {
            if (procView(before.get(name)).equals(procView(after.get(name)))) {
                assertThat(seen.get(name)).as("module %s: VMI vs /proc/modules", name)
                        .isEqualTo(procView(before.get(name)));
            }
        }
        assertThat(vmi.items()).allSatisfy(m -> assertThat(m.address().value())
                .as("struct module of %s lies in its core", m.name())
                .isBetween(m.base().value(), m.base().value() + m.sizeBytes() - 1));
    }

    @Test
    void aModuleLoadedInTheGuest_appearsLive_andDisappearsWhenRemoved() {
        String path = image.spareModules().stream().filter(p -> p.endsWith("/dummy.ko")).findFirst().orElseThrow();
        WalkResult<ModuleInfo> initial = attached(LinuxGuest::modules);
        assertThat(initial.items()).noneMatch(m -> m.name().equals("dummy"));

        vm.console().run("insmod " + path).orThrow();
        WalkResult<ModuleInfo> loaded = attached(LinuxGuest::modules);
        ModuleSnapshotDiff arrival = ModuleSnapshotDiff.between(initial.items(), loaded.items());

        assertThat(loaded.isComplete()).as("anomalies: %s", loaded.anomalies()).isTrue();
        assertThat(arrival.disappeared()).isEmpty();
        assertThat(arrival.appeared()).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("dummy");
            assertThat(m.state()).isEqualTo(ModuleState.LIVE);
            assertThat(m.sizeBytes()).isEqualTo(Long.parseLong(procModules().get("dummy")[1]));
        });

        vm.console().run("rmmod dummy").orThrow();
        WalkResult<ModuleInfo> removed = attached(LinuxGuest::modules);
        ModuleSnapshotDiff departure = ModuleSnapshotDiff.between(loaded.items(), removed.items());

        assertThat(removed.isComplete()).as("anomalies: %s", removed.anomalies()).isTrue();
        assertThat(departure.appeared()).isEmpty();
        assertThat(departure.disappeared()).containsExactlyElementsOf(arrival.appeared());
        assertThat(ModuleSnapshotDiff.between(initial.items(), removed.items()).isEmpty()).isTrue();
    }
}
