package io.vmiscope.cli;

import io.vmiscope.api.Grace;
import io.vmiscope.cli.guard.Guard;
import io.vmiscope.cli.guard.GuardLauncher;
import io.vmiscope.gdb.GdbAddress;
import io.vmiscope.gdb.GdbDriver;
import io.vmiscope.gdb.GdbOptions;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.guest.VmRegistry;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.profile.KernelProfiles;
import io.vmiscope.linux.profile.ProfileCache;
import io.vmiscope.linux.walk.WalkLimits;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Which VM to introspect: {@code --vm NAME} (a VM started by vmiscope) or {@code --gdb unix:PATH|HOST:PORT}
 * with {@code --kernel PATH} (any QEMU with a gdbstub). A TCP gdbstub beyond loopback gets a warning: whoever
 * reaches it can read and write all of the VM's memory.
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

        @Option(names = "--gdb", paramLabel = "unix:PATH|HOST:PORT",
                description = "the gdbstub of any QEMU, e.g. unix:/run/vm1/gdb.sock (-gdb unix:PATH,server=on,wait=off) "
                        + "or 127.0.0.1:1234")
        String gdb;
    }

    /**
     * What to connect to, resolved.
     *
     * @param gdb            the VM's gdbstub
     * @param guardQmpSocket the VM's QMP socket kept free for the guard, when the VM is one of vmiscope's
     */
    record Resolved(String name, GdbAddress gdb, Path kernel, Optional<Path> guardQmpSocket) {

        /** A VM vmiscope started: its gdbstub's Unix socket and its guard's QMP socket. */
        static Resolved of(QemuVm vm, Path kernel) {
            return new Resolved(vm.name(), new GdbAddress.Unix(vm.gdbSocket()), kernel,
                    Optional.of(vm.guardQmpSocket()));
        }
    }

    Resolved resolve() {
        if (selection.vm != null) {
            return resolveVm(selection.vm);
        }
        if (kernel == null) {
            throw new IllegalArgumentException("--gdb needs --kernel PATH (the guest's vmlinuz or an ISF file)");
        }
        GdbAddress gdb = gdbOption(selection.gdb);
        return new Resolved(selection.gdb, gdb, kernel, Optional.empty());
    }

    /**
     * Parses a {@code --gdb} value, warning on standard error when the stub is TCP beyond loopback.
     *
     * @throws IllegalArgumentException in one line when it is neither {@code unix:PATH} nor {@code HOST:PORT}
     */
    static GdbAddress gdbOption(String text) {
        GdbAddress gdb;
        try {
            gdb = GdbAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--gdb " + e.getMessage(), e);
        }
        if (!gdb.isLocal()) {
            System.err.println("vmiscope: warning: the gdbstub at " + gdb + " is not on loopback: anyone who reaches "
                    + "it can read and write all of the VM's memory, unauthenticated; prefer -gdb unix:PATH "
                    + "(docs/security.md)");
        }
        return gdb;
    }

    /** A VM from vmiscope's registry, with its own kernel unless --kernel overrides it. */
    Resolved resolveVm(String name) {
        QemuVm vm = VmRegistry.withDefaults().find(name)
                .orElseThrow(() -> new IllegalArgumentException("no running VM named '" + name
                        + "' (see 'vmiscope guest status')"));
        return Resolved.of(vm, kernel != null ? kernel : vm.state().kernel());
    }

    /**
     * Loads the profile first (a wrong kernel path fails before the VM is touched), starts a guard that
     * releases the VM should this process die without detaching (kill -9), then attaches.
     */
    static Session attach(Resolved target) {
        KernelProfile profile = KernelProfiles.load(target.kernel(), ProfileCache.atDefaultLocation());
        Guard guard = GuardLauncher.start(target.gdb(), target.guardQmpSocket());
        GdbDriver driver;
        try {
            driver = GdbDriver.connect(target.gdb(), GdbOptions.DEFAULTS);
        } catch (RuntimeException e) {
            guard.close();
            throw e;
        }
        Session session = new Session(target.name(), driver, null, guard);
        // Ctrl-C or a kill must still resume the VM and remove breakpoints; close() is idempotent.
        Runtime.getRuntime().addShutdownHook(new Thread(session::closeUnlessItsOwnerDoes, "vmiscope-detach"));
        try {
            return new Session(target.name(), driver, LinuxGuest.attach(driver, profile, WalkLimits.DEFAULT), guard);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** An attached VM; closing resumes the VM, removes every breakpoint, then dismisses the guard. */
    record Session(String name, GdbDriver driver, LinuxGuest linux, Guard guard) implements AutoCloseable {

        /** What a monitoring session runs on. */
        io.vmiscope.session.Target target() {
            return new io.vmiscope.session.Target(name, driver, linux);
        }

        /** How long the shutdown hook lets the command end its monitoring and detach by itself. */
        private static final Duration OWNER_GRACE = Duration.ofSeconds(3);

        /**
         * The shutdown hook's part: on Ctrl-C or SIGTERM the command's own threads go on, end their monitoring
         * and close the session; closing it under them first would break their last exchange with the stub.
         * Only when they have not closed it within {@link #OWNER_GRACE} does the hook close it.
         */
        void closeUnlessItsOwnerDoes() {
            Grace.await(driver::isClosed, OWNER_GRACE);
            close();
        }

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
