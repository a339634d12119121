package io.vmiscope.cli;

import io.vmiscope.guest.GuestImage;
import io.vmiscope.guest.QemuLauncher;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.linux.task.ProcessInfo;
import io.vmiscope.linux.walk.WalkResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;

/** {@code vmiscope demo}: the main job — boot the demo guest and watch it from outside. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Build and boot the demo guest, attach to it from outside through QEMU's gdbstub, and print "
                + "its live process tree every few seconds until Ctrl-C. The VM and QEMU end with the command."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--interval", defaultValue = "5", paramLabel = "SECONDS",
            description = "seconds between process lists (default: ${DEFAULT-VALUE})")
    int intervalSeconds;

    @Option(names = "--count", defaultValue = "0", description = "stop after this many lists (default: until Ctrl-C)")
    int count;

    @Mixin
    GuestCommand.BootOptions boot;

    @Override
    public Integer call() throws InterruptedException {
        HostTools.require("qemu-system-x86_64", "qemu-system-x86");
        GuestImage image = GuestCommand.buildImage();
        String name = "demo-" + ProcessHandle.current().pid();
        System.err.println("vmiscope: booting the demo guest (" + image.kernelVersion() + ") …");
        try (QemuVm vm = QemuLauncher.withDefaults().start(image, boot.toOptions(name))) {
            Duration booted = vm.awaitBooted(Duration.ofMinutes(3));
            System.out.printf("guest %s up in %.1f s (%s); its web service: http://127.0.0.1:%d/%n", name,
                    booted.toMillis() / 1000.0, vm.state().accelerator(), vm.httpPort());
            TargetOptions.Resolved target = new TargetOptions.Resolved(name, "127.0.0.1", vm.gdbPort(), image.kernel(),
                    java.util.Optional.of(vm.state().guardQmpSocket()));
            try (TargetOptions.Session session = TargetOptions.attach(target)) {
                session.driver().resume();
                System.out.println("attached through the gdbstub at 127.0.0.1:" + vm.gdbPort() + ": "
                        + session.linux().location());
                for (int i = 1; count == 0 || i <= count; i++) {
                    WalkResult<ProcessInfo> result = session.linux().processes();
                    System.out.println();
                    System.out.println("── " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " ── process tree of "
                            + name + " (read from kernel memory; Ctrl-C ends) ──");
                    ProcessListRenderer.tree(result, System.out);
                    if (count == 0 || i < count) {
                        Thread.sleep(intervalSeconds * 1000L);
                    }
                }
            }
        }
        return 0;
    }
}
