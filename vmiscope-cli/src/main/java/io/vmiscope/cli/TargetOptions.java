package io.vmiscope.cli;

import io.vmiscope.cli.guard.Guard;
import io.vmiscope.cli.guard.GuardLauncher;
import io.vmiscope.gdb.GdbDriver;
import io.vmiscope.gdb.GdbOptions;
import io.vmiscope.guest.VmRegistry;
import io.vmiscope.guest.VmState;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.profile.KernelProfiles;
import io.vmiscope.linux.profile.ProfileCache;
import io.vmiscope.linux.walk.WalkLimits;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Which VM to introspect: {@code --vm NAME} (a VM started by vmiscope) or {@code --gdb HOST:PORT}
 * with {@code --kernel PATH} (any QEMU with a gdbstub).
 */
final class TargetOptions {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection selection;

    @Option(names = {"-k", "--kernel"}, paramLabel = "PATH",
            description = "the guest's kernel: vmlinuz, vmlinux, or a Volatility 3 ISF JSON (default with --vm: the VM's own kernel)")
    Path kernel;

    static final class Selection {
        @Option(names = "--vm", paramLabel = "NAME", description = "a VM started by vmiscope (see 'vmiscope guest status')")
        String vm;

        @Option(names = "--gdb", paramLabel = "HOST:PORT", description = "the gdbstub of any QEMU, e.g. 127.0.0.1:1234")
        String gdb;
    }

    /**
     * What to connect to, resolved.
     *
     * @param guardQmpSocket the VM's QMP socket kept free for the guard, when the VM is one of vmiscope's
     */
    record Resolved(String name, String host, int port, Path kernel, Optional<Path> guardQmpSocket) {
    }

    Resolved resolve() {
        if (selection.vm != null) {
            return resolveVm(selection.vm);
        }
        if (kernel == null) {
            throw new IllegalArgumentException("--gdb needs --kernel PATH (the guest's vmlinuz or an ISF file)");
        }
        int colon = selection.gdb.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--gdb wants HOST:PORT, not '" + selection.gdb + "'");
        }
        int port;
        try {
            port = Integer.parseInt(selection.gdb.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--gdb wants HOST:PORT, not '" + selection.gdb + "'");
        }
        return new Resolved(selection.gdb, selection.gdb.substring(0, colon), port, kernel, Optional.empty());
    }

    /** A VM from vmiscope's registry, with its own kernel unless --kernel overrides it. */
    Resolved resolveVm(String name) {
        VmState vm = VmRegistry.withDefaults().find(name)
                .orElseThrow(() -> new IllegalArgumentException("no running VM named '" + name
                        + "' (see 'vmiscope guest status')")).state();
        return new Resolved(vm.name(), "127.0.0.1", vm.gdbPort(), kernel != null ? kernel : vm.kernel(),
                Optional.of(vm.guardQmpSocket()));
    }

    /**
     * Loads the profile first (a wrong kernel path fails before the VM is touched), starts a guard that
     * releases the VM should this process die without detaching (kill -9), then attaches.
     */
    static Session attach(Resolved target) {
        KernelProfile profile = KernelProfiles.load(target.kernel(), ProfileCache.atDefaultLocation());
        Guard guard = GuardLauncher.start(target.host(), target.port(), target.guardQmpSocket());
        GdbDriver driver;
        try {
            driver = GdbDriver.connect(target.host(), target.port(), GdbOptions.DEFAULTS);
        } catch (RuntimeException e) {
            guard.close();
            throw e;
        }
        Session session = new Session(target.name(), driver, null, guard);
        // Ctrl-C or a kill must still resume the VM and remove breakpoints; close() is idempotent.
        Runtime.getRuntime().addShutdownHook(new Thread(session::close, "vmiscope-detach"));
        try {
            return new Session(target.name(), driver, LinuxGuest.attach(driver, profile, WalkLimits.DEFAULT), guard);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** An attached VM; closing resumes the VM, removes every breakpoint, then dismisses the guard. */
    record Session(String name, GdbDriver driver, LinuxGuest linux, Guard guard) implements AutoCloseable {
        @Override
        public void close() {
            try {
                driver.close();
            } finally {
                guard.close();
            }
        }
    }
}
