package io.vmiscope.cli.guard;

import io.vmiscope.api.BreakpointControl;
import io.vmiscope.api.Gva;
import io.vmiscope.gdb.GdbAddress;
import io.vmiscope.gdb.GdbDriver;
import io.vmiscope.gdb.GdbOptions;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.profile.KernelProfiles;
import io.vmiscope.linux.profile.ProfileCache;
import io.vmiscope.linux.walk.WalkLimits;

import java.nio.file.Path;
import java.util.Optional;

/**
 * For {@link GuardIT}, run as a child JVM: a tracer as it would be when killed. Arguments: GDB_SOCKET
 * QMP_SOCKET KERNEL. Starts a guard, attaches to the VM, inserts a software breakpoint at
 * {@code __x64_sys_openat}, leaves the VM stopped, prints {@code guard PID LOG} and {@code ready}, then
 * sleeps until killed.
 */
final class TracingVictim {

    private TracingVictim() {
    }

    public static void main(String[] args) throws InterruptedException {
        GdbAddress gdb = new GdbAddress.Unix(Path.of(args[0]));
        KernelProfile profile = KernelProfiles.load(Path.of(args[2]), ProfileCache.atDefaultLocation());
        Guard guard = GuardLauncher.start(gdb, Optional.of(Path.of(args[1])));
        System.out.println("guard " + guard.process().pid() + " " + guard.logFile());
        GdbDriver driver = GdbDriver.connect(gdb, GdbOptions.DEFAULTS);
        LinuxGuest linux = LinuxGuest.attach(driver, profile, WalkLimits.DEFAULT);
        driver.insert(Gva.of(linux.address("__x64_sys_openat")), BreakpointControl.Kind.SOFTWARE);
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
