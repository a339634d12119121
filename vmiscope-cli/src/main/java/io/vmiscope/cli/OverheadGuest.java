package io.vmiscope.cli;

import io.vmiscope.guest.GuestImage;
import io.vmiscope.guest.QemuLauncher;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.overhead.workload.WorkloadGuest;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A demo guest booted for overhead work: attached through its gdbstub (and left running), with its
 * workloads reachable through the test console, the forwarded web port and the serial log. Closing
 * detaches (no breakpoint left, VM running) and then stops the VM.
 */
record OverheadGuest(QemuVm vm, TargetOptions.Session session, WorkloadGuest workloads) implements AutoCloseable {

    static OverheadGuest boot(GuestCommand.BootOptions boot, String prefix) {
        HostTools.require("qemu-system-x86_64", "qemu-system-x86");
        GuestImage image = boot.image();
        String name = prefix + "-" + ProcessHandle.current().pid();
        QemuVm vm = QemuLauncher.withDefaults().start(image, boot.toOptions(name));
        try {
            vm.awaitBooted(Duration.ofMinutes(3));
            // the Debian guest's systemd still starts units after the console answers: workloads measured
            // then would run slow, and the first console commands miss their time limits
            boot.distro().awaitSettled(vm, Duration.ofMinutes(3));
            TargetOptions.Session session = TargetOptions.attach(TargetOptions.Resolved.of(vm, image.kernel()));
            session.driver().resume(); // attaching stopped the VM; workloads need it running
            return new OverheadGuest(vm, session, new WorkloadGuest(new ConsoleShell(vm.console()),
                    new InetSocketAddress("127.0.0.1", vm.httpPort()), vm.serialLog()));
        } catch (RuntimeException e) {
            vm.close();
            throw e;
        }
    }

    int vcpus() {
        return vm.state().vcpus();
    }

    @Override
    public void close() {
        try {
            session.close();
        } finally {
            vm.close();
        }
    }
}
