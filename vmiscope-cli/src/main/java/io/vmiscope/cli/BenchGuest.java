package io.vmiscope.cli;

import io.vmiscope.guest.GuestImage;
import io.vmiscope.guest.QemuLauncher;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.guest.VmOptions;
import io.vmiscope.guest.VmRegistry;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The guest a benchmark runs on: a running VM named with {@code --vm}, or a demo guest booted for it. A
 * mixin: the benchmark commands share its option.
 */
final class BenchGuest {

    @Option(names = "--vm", paramLabel = "NAME", description = "use this running VM instead of booting one")
    String vm;

    /** The body of a benchmark, given its VM, the VM's kernel and a description for the report. */
    @FunctionalInterface
    interface Body {
        int run(QemuVm vm, Path kernel, String description) throws Exception;
    }

    /** Runs {@code body} on the chosen guest; a booted one is named {@code purpose-PID} and stopped after. */
    int with(String purpose, Body body) throws Exception {
        String vmName = vm;
        HostTools.require("gdb", "gdb");
        HostTools.require("qemu-system-x86_64", "qemu-system-x86");
        if (vmName != null) {
            QemuVm found = VmRegistry.withDefaults().find(vmName)
                    .orElseThrow(() -> new IllegalArgumentException("no running VM named '" + vmName + "'"));
            return body.run(found, found.state().kernel(), "VM " + vmName);
        }
        GuestImage image = GuestCommand.buildImage();
        String name = purpose + "-" + ProcessHandle.current().pid();
        System.err.println("vmiscope: booting a demo guest for the benchmark …");
        try (QemuVm guest = QemuLauncher.withDefaults().start(image, VmOptions.named(name))) {
            guest.awaitBooted(Duration.ofMinutes(3));
            return body.run(guest, image.kernel(), "demo guest " + image.kernelVersion() + " under "
                    + guest.state().accelerator() + ", " + guest.state().vcpus() + " vCPU");
        }
    }
}
