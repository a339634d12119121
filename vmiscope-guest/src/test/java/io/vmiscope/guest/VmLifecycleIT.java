package io.vmiscope.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Starting, stopping and reaping QEMU. The VMs here need not finish booting; each test stops what it
 * started, one VM at a time.
 */
class VmLifecycleIT {

    private final List<QemuVm> started = new ArrayList<>();
    private final List<Process> fakeOwners = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        started.forEach(TestGuests::stopAndDelete);
        fakeOwners.forEach(Process::destroyForcibly);
    }

    private QemuVm start(String prefix, VmOwner owner) {
        QemuVm vm = TestGuests.launcher().start(TestGuests.image(),
                VmOptions.named(TestGuests.uniqueName(prefix)).withAccelerator(Accelerator.TCG), owner);
        started.add(vm);
        return vm;
    }

    private Process fakeOwner() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "600").start();
        fakeOwners.add(sleeper);
        return sleeper;
    }

    @Test
    void stop_endsQemu_removesTheRegistryEntry_andIsIdempotent() {
        QemuVm vm = start("stop", VmOwner.currentJvm());
        VmRegistry registry = TestGuests.launcher().registry();
        assertThat(registry.find(vm.name())).isPresent();
        assertThat(vm.isRunning()).isTrue();

        vm.stop();
        vm.stop();

        assertThat(ProcStat.isRunning(vm.pid())).as("QEMU exited (at most a zombie until its parent reaps it)").isFalse();
        assertThat(registry.find(vm.name())).isEmpty();
        assertThat(registry.entries()).noneMatch(s -> s.name().equals(vm.name()));
    }

    @Test
    void supervisor_killsQemu_whenItsOwnerDies() throws Exception {
        Process owner = fakeOwner();
        QemuVm vm = start("owner", VmOwner.process(owner.pid()));
        assertThat(vm.isRunning()).isTrue();

        owner.destroyForcibly().waitFor();

        assertThat(ProcStat.awaitExit(vm.pid(), Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void reaper_killsQemu_whoseOwnerAndSupervisorAreGone() throws Exception {
        Process owner = fakeOwner();
        QemuVm vm = start("reap", VmOwner.process(owner.pid()));
        ProcessHandle.of(vm.state().supervisorPid()).ifPresent(ProcessHandle::destroyForcibly);
        assertThat(ProcStat.awaitExit(vm.state().supervisorPid(), Duration.ofSeconds(5))).isTrue();
        owner.destroyForcibly().waitFor();
        assertThat(vm.isRunning()).as("QEMU orphaned, nobody watches its owner").isTrue();

        List<String> reaped = TestGuests.launcher().registry().reapStale();

        assertThat(reaped).contains(vm.name());
        assertThat(vm.isRunning()).isFalse();
        assertThat(TestGuests.launcher().registry().find(vm.name())).isEmpty();
    }

    @Test
    void detachedVm_isFoundByName_survivesReaping_andStopsByName() {
        QemuVm vm = start("detached", VmOwner.detached());
        VmRegistry registry = TestGuests.launcher().registry();

        assertThat(registry.reapStale()).doesNotContain(vm.name());
        QemuVm found = registry.find(vm.name()).orElseThrow();
        found.close();
        assertThat(vm.isRunning()).as("closing a found handle leaves the VM running").isTrue();
        assertThat(found.state().statusFields()).containsEntry("state", "running").containsEntry("owner", "detached")
                .containsEntry("accelerator", "tcg");

        found.stop();

        assertThat(vm.isRunning()).isFalse();
        assertThat(registry.find(vm.name())).isEmpty();
    }

    @Test
    void start_refusesASecondVm_ofARunningName() {
        QemuVm vm = start("twice", VmOwner.currentJvm());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestGuests.launcher().start(TestGuests.image(),
                        VmOptions.named(vm.name()).withAccelerator(Accelerator.TCG)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already running");
    }
}
