package io.vmiscope.cli;

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

    /** What to connect to, resolved. */
    record Resolved(String name, String host, int port, Path kernel) {
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
        return new Resolved(selection.gdb, selection.gdb.substring(0, colon), port, kernel);
    }

    /** A VM from vmiscope's registry, with its own kernel unless --kernel overrides it. */
    Resolved resolveVm(String name) {
        VmState vm = VmRegistry.withDefaults().find(name)
                .orElseThrow(() -> new IllegalArgumentException("no running VM named '" + name
                        + "' (see 'vmiscope guest status')")).state();
        return new Resolved(vm.name(), "127.0.0.1", vm.gdbPort(), kernel != null ? kernel : vm.kernel());
    }

    /** Loads the profile first (a wrong kernel path fails before the VM is touched), then attaches. */
    static Session attach(Resolved target) {
        KernelProfile profile = KernelProfiles.load(target.kernel(), ProfileCache.atDefaultLocation());
        GdbDriver driver = GdbDriver.connect(target.host(), target.port(), GdbOptions.DEFAULTS);
        // Ctrl-C or a kill must still resume the VM and remove breakpoints; close() is idempotent.
        Runtime.getRuntime().addShutdownHook(new Thread(driver::close, "vmiscope-detach"));
        try {
            return new Session(target.name(), driver, LinuxGuest.attach(driver, profile, WalkLimits.DEFAULT));
        } catch (RuntimeException e) {
            driver.close();
            throw e;
        }
    }

    /** An attached VM; closing resumes the VM and removes every breakpoint. */
    record Session(String name, GdbDriver driver, LinuxGuest linux) implements AutoCloseable {
        @Override
        public void close() {
            driver.close();
        }
    }
}
