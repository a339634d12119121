package io.vmiscope.cli;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.ControlEvent;
import io.vmiscope.events.CostSummary;
import io.vmiscope.events.ProcessFilter;
import io.vmiscope.events.Event;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.ExitEvent;
import io.vmiscope.events.SyscallEvent;
import io.vmiscope.gdb.GdbAddress;
import io.vmiscope.gdb.GdbDriver;
import io.vmiscope.gdb.GdbOptions;
import io.vmiscope.guest.GuestImage;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.guest.GuestDistro;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.profile.KernelProfiles;
import io.vmiscope.linux.profile.ProfileCache;
import io.vmiscope.linux.walk.WalkLimits;
import io.vmiscope.monitor.Action;
import io.vmiscope.monitor.SyscallTraceAction;
import io.vmiscope.monitor.Monitor;
import io.vmiscope.monitor.ProcessEventsAction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Introspection actions on a real guest, with ground truth made through the test console: the harness.
 * One booted guest for the class (the subclass names which); each test runs its own monitor session
 * on a background thread, attached before and detached after it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LiveMonitorTest {

    QemuVm vm;
    GuestImage image;
    private KernelProfile profile;
    private GdbDriver driver;
    LinuxGuest linux;
    Monitor monitor;
    private Thread loop;
    final List<Event> events = new CopyOnWriteArrayList<>();

    /** The guest the class runs on. */
    abstract GuestDistro distro();

    /** The guest's shell as a command: program path, then arguments before {@code -c}. */
    abstract List<String> shell();

    @BeforeAll
    void bootGuest() {
        image = TestGuests.image(distro());
        vm = TestGuests.boot(distro(), "live-monitor-" + distro().id(), true);
        profile = KernelProfiles.load(image.kernel(), ProfileCache.atDefaultLocation());
    }

    @AfterAll
    void stopGuest() {
        if (vm != null) {
            vm.stop();
        }
    }

    @BeforeEach
    void attach() {
        events.clear();
        driver = GdbDriver.connect(new GdbAddress.Unix(vm.gdbSocket()), GdbOptions.DEFAULTS);
        linux = LinuxGuest.attach(driver, profile, WalkLimits.DEFAULT);
        monitor = new Monitor(driver, linux, events::add, Monitor.Options.named(vm.name()));
        driver.resume(); // attaching stopped the VM; the console needs it running
    }

    @AfterEach
    void detach() throws InterruptedException {
        monitor.requestEnd();
        if (loop != null) {
            loop.join(10_000);
        }
        driver.close();
        assertThat(vm.qmp().isRunning()).as("the VM runs after the session").isTrue();
    }

    static ActionSpec.Syscalls syscalls(String names, ProcessFilter processes) {
        return new ActionSpec.Syscalls(List.of(names.split(",")), processes);
    }

    void runInBackground(Action... actions) {
        for (Action action : actions) {
            monitor.start(action);
        }
        loop = new Thread(() -> monitor.run(Duration.ofMinutes(2)), "monitor-loop");
        loop.start();
        awaitEvent(ControlEvent.class, e -> e.change().equals("started"));
    }

    <T extends Event> T awaitEvent(Class<T> type, Predicate<T> matching) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (Event e : events) {
                if (type.isInstance(e) && matching.test(type.cast(e))) {
                    return type.cast(e);
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no matching " + type.getSimpleName() + " within 30 s; saw " + events.size() + " events");
    }

    CostSummary cost(String action) {
        return monitor.costs().stream().filter(c -> c.action().equals(action)).findFirst().orElseThrow();
    }

    @Test
    void aKnownCommand_givesExecAndExitEvents_withTheRightPidPpidPathArgvAndExitCode() {
        runInBackground(new ProcessEventsAction(linux, ProcessFilter.ALL));
        String script = "echo $$ $PPID >/tmp/ids; exit 3";

        vm.console().run(String.join(" ", shell()) + " -c '" + script + "'");
        String[] ids = vm.console().run("cat /tmp/ids").orThrow().output().strip().split(" ");
        int pid = Integer.parseInt(ids[0]);
        int ppid = Integer.parseInt(ids[1]);

        ExecEvent exec = awaitEvent(ExecEvent.class, e -> e.argv().contains(script));
        assertThat(exec.path()).isEqualTo(shell().get(0));
        List<String> argv = new java.util.ArrayList<>(shell());
        argv.addAll(List.of("-c", script));
        assertThat(exec.argv()).containsExactlyElementsOf(argv);
        assertThat(exec.process().uid()).isZero();
        assertThat(exec.process().pid()).isEqualTo(pid);
        assertThat(exec.process().ppid()).isEqualTo(ppid);
        ExitEvent exit = awaitEvent(ExitEvent.class, e -> e.process().pid() == pid);
        assertThat(exit.exitCode()).isEqualTo(3);
        assertThat(exit.signal()).isZero();
        assertThat(exit.process().ppid()).isEqualTo(ppid);
    }

    /**
     * Traces {@code rmdir}, not {@code openat}: every breakpoint hit makes TCG flush all translated code,
     * and a systemd guest's processes open files all the time, so tracing {@code openat} system-wide
     * starves the guest (its console stops answering). {@code rmdir} is as good a witness of decoding —
     * a path argument and an errno result — and nothing else in the guest calls it.
     */
    @Test
    void syscallTracing_decodesTheTestCommandsArguments_andReturnValueWithErrnoName() {
        SyscallTraceAction trace = new SyscallTraceAction(linux, syscalls("rmdir", ProcessFilter.ALL), true);
        runInBackground(trace);

        vm.console().run(String.join(" ", shell()) + " -c 'echo $$ >/tmp/rmdir-pid; exec rmdir /no/such/dir'; true")
                .orThrow();
        int pid = Integer.parseInt(vm.console().run("cat /tmp/rmdir-pid").orThrow().output().strip());

        SyscallEvent missing = awaitEvent(SyscallEvent.class,
                e -> e.arguments().stream().anyMatch(a -> a.text().equals("\"/no/such/dir\"")));
        assertThat(missing.name()).isEqualTo("rmdir");
        assertThat(missing.number()).isEqualTo(84);
        assertThat(missing.result()).startsWith("-1 ENOENT");
        assertThat(missing.process().pid()).as("the test's own command").isEqualTo(pid);
        assertThat(missing.process().name()).isEqualTo("rmdir");
    }
}
