package io.vmiscope.cli;

import io.vmiscope.guest.Accelerator;
import io.vmiscope.guest.CommandResult;
import io.vmiscope.guest.GuestBuilder;
import io.vmiscope.guest.GuestImage;
import io.vmiscope.guest.QemuLauncher;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.guest.VmOptions;
import io.vmiscope.guest.VmRegistry;
import io.vmiscope.guest.VmState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vmiscope guest build|start|stop|status|console}: the demo guest and its QEMU. */
@Command(name = "guest", mixinStandardHelpOptions = true,
        description = "Build and run the demo guest: Debian's cloud kernel and busybox services (httpd with a CGI "
                + "script, syslogd, crond) with a test console on a second serial port.",
        subcommands = {GuestCommand.Build.class, GuestCommand.Start.class, GuestCommand.Stop.class,
                GuestCommand.Status.class, GuestCommand.Console.class})
final class GuestCommand {

    static final String DEFAULT_NAME = "demo";

    /** Builds (or reuses) the demo guest image, installing QEMU's tools first when needed. */
    static GuestImage buildImage() {
        HostTools.require("dpkg-deb", "dpkg");
        return GuestBuilder.withDefaults().build();
    }

    /** Options shared by commands that boot a guest. */
    static final class BootOptions {
        @Option(names = "--memory", defaultValue = "256", paramLabel = "MiB", description = "guest RAM (default: ${DEFAULT-VALUE} MiB)")
        int memoryMb;

        @Option(names = "--vcpus", defaultValue = "1", description = "virtual CPUs (default: ${DEFAULT-VALUE})")
        int vcpus;

        @Option(names = "--nokaslr", description = "boot the kernel without KASLR (it is on by default)")
        boolean nokaslr;

        @Option(names = "--accel", defaultValue = "auto", paramLabel = "auto|kvm|tcg",
                description = "accelerator: auto uses KVM only when a probe shows a KVM guest really runs (default: ${DEFAULT-VALUE})")
        String accel;

        VmOptions toOptions(String name) {
            return VmOptions.named(name).withMemoryMb(memoryMb).withVcpus(vcpus).withKaslr(!nokaslr)
                    .withAccelerator(Accelerator.valueOf(accel.toUpperCase(java.util.Locale.ROOT)));
        }
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = "Fetch Debian's cloud kernel and busybox-static (apt-get download, nothing installed) and build the initramfs.")
    static final class Build implements Callable<Integer> {
        @Override
        public Integer call() {
            GuestImage image = buildImage();
            System.out.println("kernel:  " + image.kernel());
            System.out.println("initrd:  " + image.initrd());
            System.out.println("version: " + image.kernelVersion());
            return 0;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Boot the demo guest in the background; it runs until 'vmiscope guest stop NAME'.")
    static final class Start implements Callable<Integer> {
        @Option(names = "--name", defaultValue = DEFAULT_NAME, description = "registry name (default: ${DEFAULT-VALUE})")
        String name;

        @picocli.CommandLine.Mixin
        BootOptions boot;

        @Override
        public Integer call() {
            HostTools.require("qemu-system-x86_64", "qemu-system-x86");
            GuestImage image = buildImage();
            QemuVm vm = QemuLauncher.withDefaults().startDetached(image, boot.toOptions(name));
            Duration boot = vm.awaitBooted(Duration.ofMinutes(3));
            VmState s = vm.state();
            System.out.printf("started %s (pid %d, %s) in %.1f s%n", s.name(), s.qemuPid(), s.accelerator(), boot.toMillis() / 1000.0);
            System.out.println("  gdbstub:  127.0.0.1:" + s.gdbPort());
            System.out.println("  http:     http://127.0.0.1:" + s.httpPort() + "/");
            System.out.println("  next:     vmiscope ps --vm " + s.name() + " --tree");
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a VM started by vmiscope.")
    static final class Stop implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", defaultValue = DEFAULT_NAME, description = "VM name (default: ${DEFAULT-VALUE})")
        String name;

        @Override
        public Integer call() {
            QemuVm vm = VmRegistry.withDefaults().find(name)
                    .orElseThrow(() -> new IllegalArgumentException("no running VM named '" + name + "'"));
            vm.stop();
            System.out.println("stopped " + name);
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "VMs started by vmiscope, with their ports.")
    static final class Status implements Callable<Integer> {
        @Override
        public Integer call() {
            VmRegistry registry = VmRegistry.withDefaults();
            List<String> reaped = registry.reapStale();
            reaped.forEach(r -> System.out.println("reaped stale VM " + r));
            List<VmState> vms = registry.entries();
            if (vms.isEmpty()) {
                System.out.println("no VMs (start one with 'vmiscope guest start')");
            }
            for (VmState vm : vms) {
                System.out.println(vm.name() + (vm.isQemuRunning() ? "" : " (not running)"));
                for (Map.Entry<String, String> f : vm.statusFields().entrySet()) {
                    System.out.printf("  %-12s %s%n", f.getKey(), f.getValue());
                }
            }
            return 0;
        }
    }

    @Command(name = "console", mixinStandardHelpOptions = true,
            description = "Run a shell command in the guest through its test console (for ground truth and workloads; "
                    + "introspection never uses it).")
    static final class Console implements Callable<Integer> {
        @Option(names = "--vm", defaultValue = DEFAULT_NAME, description = "VM name (default: ${DEFAULT-VALUE})")
        String name;

        @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS", description = "default: ${DEFAULT-VALUE}")
        int timeoutSeconds;

        @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "e.g. 'ps' or 'cat /proc/1/status'")
        List<String> command;

        @Override
        public Integer call() {
            QemuVm vm = VmRegistry.withDefaults().find(name)
                    .orElseThrow(() -> new IllegalArgumentException("no running VM named '" + name + "'"));
            CommandResult result = vm.console().run(String.join(" ", command), Duration.ofSeconds(timeoutSeconds));
            System.out.print(result.output());
            return result.exitCode();
        }
    }
}
