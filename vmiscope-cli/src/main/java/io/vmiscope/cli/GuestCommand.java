package io.vmiscope.cli;

import io.vmiscope.api.TransportException;
import io.vmiscope.cli.guard.GdbStubClients;
import io.vmiscope.gdb.GdbAddress;
import io.vmiscope.gdb.GdbDriver;
import io.vmiscope.gdb.GdbOptions;
import io.vmiscope.guest.Accelerator;
import io.vmiscope.guest.CommandResult;
import io.vmiscope.guest.DebianGuestBuilder;
import io.vmiscope.guest.GuestDistro;
import io.vmiscope.guest.GuestImage;
import io.vmiscope.guest.LabAttack;
import io.vmiscope.guest.QemuLauncher;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.guest.Qmp;
import io.vmiscope.guest.QmpException;
import io.vmiscope.guest.VmOptions;
import io.vmiscope.guest.VmRegistry;
import io.vmiscope.guest.VmState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code vmiscope guest build|start|stop|status|console|attack|release}: the demo guest and its QEMU. */
@Command(name = "guest", mixinStandardHelpOptions = true,
        description = "Build and run a guest: the demo guest (Debian's cloud kernel and busybox services: httpd with two CGI "
                + "scripts, one the lab's deliberately vulnerable service, syslogd, crond), or with --distro debian a "
                + "Debian 12 system (systemd, nginx, sshd, cron, sudo); both with a test console on a second serial port.",
        subcommands = {GuestCommand.Build.class, GuestCommand.Start.class, GuestCommand.Stop.class, GuestCommand.Attack.class,
                GuestCommand.Status.class, GuestCommand.Console.class, GuestCommand.Release.class})
final class GuestCommand {

    static final String DEFAULT_NAME = "demo";

    /** The running VM of this name, from the registry. */
    private static QemuVm running(String name) {
        return VmRegistry.withDefaults().find(name)
                .orElseThrow(() -> new IllegalArgumentException("no running VM named '" + name + "'"));
    }

    /** Builds (or reuses) the demo guest image, installing QEMU's tools first when needed. */
    static GuestImage buildImage() {
        return buildImage(GuestDistro.BUSYBOX, DebianGuestBuilder.defaultMirror());
    }

    /** Builds (or reuses) a guest's image, installing the host tools its build needs first. */
    static GuestImage buildImage(GuestDistro distro, String debianMirror) {
        HostTools.require("dpkg-deb", "dpkg");
        if (distro == GuestDistro.DEBIAN) {
            HostTools.require("debootstrap", "debootstrap");
            HostTools.require("mke2fs", "e2fsprogs");
        }
        return distro.build(debianMirror);
    }

    /** The {@code --distro} option: which guest to build or boot. */
    static final class DistroOption {
        @Option(names = "--distro", defaultValue = "busybox", paramLabel = "busybox|debian",
                description = "the guest: the busybox demo guest, or Debian 12 with systemd, nginx, sshd, python3 "
                        + "(default: ${DEFAULT-VALUE}; see docs/demo-guest.md)")
        String distro;

        GuestDistro distro() {
            return GuestDistro.of(distro);
        }
    }

    /** Options shared by commands that boot a guest. */
    static final class BootOptions {
        @picocli.CommandLine.Mixin
        DistroOption distro;

        @Option(names = "--memory", paramLabel = "MiB",
                description = "guest RAM (default: 256 MiB for busybox, 512 MiB for debian)")
        Integer memoryMb;

        @Option(names = "--vcpus", defaultValue = "1", description = "virtual CPUs (default: ${DEFAULT-VALUE})")
        int vcpus;

        @Option(names = "--nokaslr", description = "boot the kernel without KASLR (it is on by default)")
        boolean nokaslr;

        @Option(names = "--accel", defaultValue = "auto", paramLabel = "auto|kvm|tcg",
                description = "accelerator: auto uses KVM only when a probe shows a KVM guest really runs (default: ${DEFAULT-VALUE})")
        String accel;

        VmOptions toOptions(String name) {
            return VmOptions.named(name).withMemoryMb(memoryMb != null ? memoryMb : distro().defaultMemoryMb()).withVcpus(vcpus).withKaslr(!nokaslr)
                    .withAccelerator(Accelerator.valueOf(accel.toUpperCase(java.util.Locale.ROOT)));
        }

        GuestDistro distro() {
            return distro.distro();
        }

        /** The chosen guest's image, built or found in the cache. */
        GuestImage image() {
            return buildImage(distro(), DebianGuestBuilder.defaultMirror());
        }
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Fetch Debian's cloud kernel and busybox-static (apt-get download, nothing installed) and build "
                    + "the initramfs; with --distro debian also a Debian 12 system with debootstrap (as root) on an "
                    + "ext4 image. Cached: a second build only checks the cache."})
    static final class Build implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        DistroOption distro;

        @Option(names = "--mirror", paramLabel = "URL",
                description = "the Debian archive for debootstrap (default: the one in /etc/apt/sources.list*, else "
                        + "http://deb.debian.org/debian)")
        String mirror;

        @Override
        public Integer call() {
            GuestImage image = buildImage(distro.distro(), mirror != null ? mirror : DebianGuestBuilder.defaultMirror());
            System.out.println("kernel:  " + image.kernel());
            System.out.println("initrd:  " + image.initrd());
            image.rootDisk().ifPresent(disk -> System.out.println("disk:    " + disk));
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
            GuestImage image = boot.image();
            QemuVm vm = QemuLauncher.withDefaults().startDetached(image, boot.toOptions(name));
            Duration boot = vm.awaitBooted(Duration.ofMinutes(3));
            VmState s = vm.state();
            System.out.printf("started %s (pid %d, %s) in %.1f s%n", s.name(), s.qemuPid(), s.accelerator(), boot.toMillis() / 1000.0);
            System.out.println("  gdbstub:  unix:" + s.gdbSocket() + " (only you can connect)");
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
            QemuVm vm = running(name);
            vm.stop();
            System.out.println("stopped " + name);
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "VMs started by vmiscope, with their sockets and ports.")
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
            QemuVm vm = running(name);
            CommandResult result = vm.console().run(String.join(" ", command), Duration.ofSeconds(timeoutSeconds));
            System.out.print(result.output());
            return result.exitCode();
        }
    }

    @Command(name = "attack", mixinStandardHelpOptions = true,
            description = {"Play the lab's attack scenarios against a running guest, from the host, through the "
                    + "command injection of its /cgi-bin/ping (the lab's deliberately vulnerable service): "
                    + "injection, download, reverse-shell, crontab, shadow, module, log-truncation; on the Debian "
                    + "guest (--distro debian, the distro the VM was started with) also user-added, the root steps "
                    + "through sudo (docs/detection.md, 'Live scenarios'). The payload server and the reverse "
                    + "shell's listener listen on 127.0.0.1 only. Prints what each step printed."})
    static final class Attack implements Callable<Integer> {
        private static final int MAX_PRINTED_CHARS = 4096;

        @Option(names = "--vm", defaultValue = DEFAULT_NAME, description = "VM name (default: ${DEFAULT-VALUE})")
        String name;

        @picocli.CommandLine.Mixin
        DistroOption distro;

        @Parameters(arity = "0..*", paramLabel = "STEP", description = "the steps to play, in order (default: all)")
        List<String> steps;

        @Override
        public Integer call() {
            QemuVm vm = running(name);
            try (LabAttack lab = LabAttack.start(distro.distro(), vm.httpPort())) {
                for (String step : steps == null || steps.isEmpty() ? lab.steps() : steps) {
                    LabAttack.StepResult result = lab.run(step);
                    String output = result.output().strip();
                    // the guest's words: no terminal control characters, at most a screenful
                    output = output.substring(0, Math.min(output.length(), MAX_PRINTED_CHARS))
                            .replaceAll("[\\p{Cntrl}&&[^\\n\\t]]", "?");
                    System.out.printf("── %s (%.1f s) ──%n%s%n", step, result.took().toMillis() / 1000.0, output);
                }
            }
            return 0;
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true,
            description = {"Resume a VM that a debugger left stopped, and remove every breakpoint in it.",
                    "",
                    "Use it when a vmiscope process (or any other debugger) died while attached to the VM's gdbstub "
                            + "(kill -9, out of memory, a crash) and the VM's services hang: QEMU keeps the VM stopped "
                            + "until a debugger continues it, and a breakpoint left in the kernel would stop it again. "
                            + "A tracing vmiscope starts a guard process that does this by itself; this is the manual way.",
                    "",
                    "It connects to the gdbstub, sends '?' (QEMU then removes all breakpoints) and detaches, which "
                            + "resumes the VM. For a VM of vmiscope's it also checks the run state through QMP before and "
                            + "after, and sends QMP cont if the VM still does not run. It refuses while QMP shows a debugger attached "
                            + "(a vmiscope session still running): end that first. With --gdb it cannot look: an "
                            + "attempt behind a live debugger fails, stays queued in QEMU and stops the VM again once "
                            + "that debugger detaches."},
            footer = {"", "Example: vmiscope guest release --gdb unix:/run/vm1/gdb.sock"})
    static final class Release implements Callable<Integer> {
        private static final GdbOptions OPTIONS = GdbOptions.DEFAULTS.withCommandTimeout(Duration.ofSeconds(3));
        private static final Duration QMP_TIMEOUT = Duration.ofSeconds(3);

        @Parameters(paramLabel = "NAME", arity = "0..1", description = "a VM started by vmiscope (see 'vmiscope guest status')")
        String name;

        @Option(names = "--gdb", paramLabel = "unix:PATH|HOST:PORT",
                description = "the gdbstub of any QEMU, e.g. unix:/run/vm1/gdb.sock or 127.0.0.1:1234")
        String gdb;

        @Override
        public Integer call() {
            if ((name == null) == (gdb == null)) {
                throw new IllegalArgumentException("guest release wants a VM NAME or --gdb unix:PATH|HOST:PORT, one of the two");
            }
            Optional<QemuVm> vm = Optional.empty();
            GdbAddress stub;
            if (name != null) {
                vm = VmRegistry.withDefaults().find(name);
                stub = new GdbAddress.Unix(vm.orElseThrow(() -> new IllegalArgumentException(
                        "no running VM named '" + name + "' (see 'vmiscope guest status')")).gdbSocket());
            } else {
                stub = TargetOptions.gdbOption(gdb);
            }
            String label = name != null ? "VM " + name : "VM at " + stub;
            // The guard's socket: the tools' socket may be held by a long-running tool.
            Optional<Path> qmpSocket = vm.map(QemuVm::guardQmpSocket);
            qmpSocket.ifPresent(socket -> System.out.println(label + ": QMP status before: " + qmpStatus(socket)));
            qmpSocket.flatMap(Release::attachedDebugger).ifPresent(client -> {
                throw new IllegalStateException(label + " has a debugger attached (" + client + "): end or detach it "
                        + "first; a release queued behind it would stop the VM again when it detaches");
            });
            GdbDriver.Release release;
            try {
                release = GdbDriver.release(stub, OPTIONS);
            } catch (TransportException e) {
                throw new TransportException("cannot release " + label + " through its gdbstub: " + e.getMessage()
                        + " (if a debugger is attached, this attempt stays queued and stops the VM when it detaches:"
                        + " release again then)", e);
            }
            System.out.println(release.describe());
            if (qmpSocket.isPresent()) {
                try (Qmp qmp = Qmp.connect(qmpSocket.get(), QMP_TIMEOUT)) {
                    if (!qmp.isRunning()) {
                        qmp.cont();
                        System.out.println(label + ": sent QMP cont");
                    }
                    System.out.println(label + ": QMP status now: " + qmp.status());
                    return qmp.isRunning() ? 0 : 1;
                } catch (TransportException | QmpException e) {
                    System.out.println(label + ": QMP unavailable: " + e.getMessage());
                }
            }
            return 0;
        }

        private static Optional<String> attachedDebugger(Path socket) {
            try (Qmp qmp = Qmp.connect(socket, QMP_TIMEOUT)) {
                return GdbStubClients.attached(qmp);
            } catch (TransportException | QmpException e) {
                return Optional.empty();
            }
        }

        private static String qmpStatus(Path socket) {
            try (Qmp qmp = Qmp.connect(socket, QMP_TIMEOUT)) {
                return qmp.status();
            } catch (TransportException | QmpException e) {
                return "unknown (" + e.getMessage() + ")";
            }
        }
    }
}
