package io.vmiscope.cli;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.Event;
import io.vmiscope.events.IntegrityFindingEvent;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.monitor.Actions;
import io.vmiscope.monitor.Monitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cross-view integrity checks on the demo guest, against a simulated rootkit ({@link SimulatedRootkit}):
 * clean on the clean guest; each manipulation reported by the right check, naming the right process, module or
 * syscall, within one period of a running {@code checks:2s} action and by the {@code check} command's report;
 * each manipulation undone afterwards. One booted guest per class; subclasses choose KASLR on or off.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class LiveIntegrityChecksTest {

    private static final Duration PERIOD = Duration.ofSeconds(2);
    private static final Duration CONSOLE = Duration.ofSeconds(20);

    private QemuVm vm;
    private TargetOptions.Session session;
    private SimulatedRootkit rootkit;

    abstract boolean kaslr();

    @BeforeAll
    void bootAndAttach() {
        vm = TestGuests.boot("checks", kaslr());
        session = TargetOptions.attach(TargetOptions.Resolved.of(vm, vm.state().kernel()));
        rootkit = new SimulatedRootkit(session.driver(), session.linux());
    }

    @AfterAll
    void detachAndStop() {
        if (session != null) {
            session.close();
        }
        if (vm != null) {
            vm.stop();
        }
    }

    @Test
    @Order(1)
    void theCleanGuest_givesNoFinding_fromTheRunningAction_norTheCommand() {
        assertThat(findingsOfOnePeriod()).isEmpty();
        Report report = checkOnce();
        assertThat(report.exitCode).as(report.output).isZero();
        assertThat(report.output).contains("clean: 4 checks, 11 views compared");
    }

    @Test
    @Order(2)
    void aTaskUnlinkedFromTheTaskList_isAHiddenProcess_namedByPidAndComm() {
        int pid = background("sleep 1000");
        try (SimulatedRootkit.Manipulation hidden = rootkit.unlinkTask(pid)) {
            List<IntegrityFindingEvent> findings = findingsOfOnePeriod();
            assertThat(findings).as("findings").anySatisfy(f -> {
                assertThat(f.check()).isEqualTo("hidden-processes");
                assertThat(f.process().pid()).isEqualTo(pid);
                assertThat(f.subject()).isEqualTo("pid " + pid + " (sleep)");
                assertThat(f.views()).containsEntry("task list (init_task.tasks)", "absent");
                assertThat(f.views().get("pid allocator (init_pid_ns.idr)")).startsWith("pid " + pid + " → task ");
                assertThat(f.views().get("children lists")).startsWith("child of pid ");
            });
            assertThat(findings).allSatisfy(f -> assertThat(f.check()).isEqualTo("hidden-processes"));
            Report report = checkOnce();
            assertThat(report.exitCode).isEqualTo(1);
            assertThat(report.output).contains("hidden-processes: pid " + pid + " (sleep)");
        } finally {
            vm.console().run("kill " + pid, CONSOLE);
        }
        assertThat(findingsOfOnePeriod()).as("after the undo").isEmpty();
    }

    @Test
    @Order(3)
    void aModuleUnlinkedFromTheModuleList_isAHiddenModule_namedByName() {
        String module = vm.console().run("find /lib/modules -name dummy.ko | head -1", CONSOLE).output().strip();
        vm.console().run("$(which insmod) " + module, CONSOLE);
        try (SimulatedRootkit.Manipulation hidden = rootkit.unlinkModule("dummy")) {
            List<IntegrityFindingEvent> findings = findingsOfOnePeriod();
            assertThat(findings).isNotEmpty().allSatisfy(f -> {
                assertThat(f.check()).isEqualTo("hidden-modules");
                assertThat(f.subject()).isEqualTo("module dummy");
                assertThat(f.views()).containsEntry("module list (modules)", "absent");
                assertThat(f.views().get("sysfs kobjects (module_kset)")).startsWith("kobject ");
                assertThat(f.techniques()).contains("T1014", "T1547.006");
            });
            assertThat(checkOnce().output).contains("hidden-modules: module dummy");
        } finally {
            vm.console().run("$(which rmmod) dummy", CONSOLE);
        }
        assertThat(findingsOfOnePeriod()).as("after the undo").isEmpty();
    }

    @Test
    @Order(4)
    void aSyscallTableSlotPointedElsewhere_isAHookedSyscall_namedByNumberAndBothSymbols() {
        try (SimulatedRootkit.Manipulation hooked = rootkit.redirectSyscall(39, "__x64_sys_getppid")) {
            List<IntegrityFindingEvent> findings = findingsOfOnePeriod();
            assertThat(findings).isNotEmpty().allSatisfy(f -> {
                assertThat(f.check()).isEqualTo("syscall-table");
                assertThat(f.subject()).isEqualTo("sys_call_table[39] (getpid)");
                // __x64_sys_getppid and __do_sys_getppid share the address: either name is right
                assertThat(f.views().get("sys_call_table")).endsWith("_sys_getppid)");
                assertThat(f.views()).containsEntry("kallsyms (the profile)", "__x64_sys_getpid");
            });
            assertThat(checkOnce().output).contains("syscall-table: sys_call_table[39] (getpid)");
        }
        assertThat(findingsOfOnePeriod()).as("after the undo").isEmpty();
    }

    @Test
    @Order(5)
    void aNonRootProcessWhoseCredentialsWereSetToRoot_isACredentialAnomaly() {
        int shell = background("su -s /bin/sh alice -c 'sleep 1000; true'");
        try {
            int sleeper = awaitChild(shell);
            try (SimulatedRootkit.Manipulation raised = rootkit.raiseCredentials(sleeper)) {
                List<IntegrityFindingEvent> findings = findingsOfOnePeriod();
                assertThat(findings).isNotEmpty().allSatisfy(f -> {
                    assertThat(f.check()).isEqualTo("credentials");
                    assertThat(f.process().pid()).isEqualTo(sleeper);
                    assertThat(f.subject()).isEqualTo("pid " + sleeper + " (sleep)");
                    assertThat(f.views()).containsEntry("credentials (task->cred)", "uid 0 euid 0");
                    assertThat(f.views().get("parent (real_parent->cred)")).isEqualTo("pid " + shell
                            + " (sh) uid 1000 euid 1000");
                    assertThat(f.views().get("executable (mm->exe_file)")).endsWith("not setuid root");
                });
                assertThat(checkOnce().output).contains("credentials: pid " + sleeper + " (sleep)");
            }
        } finally {
            vm.console().run("kill " + shell + "; pkill -P " + shell + " sleep", CONSOLE);
        }
        assertThat(findingsOfOnePeriod()).as("after the undo").isEmpty();
    }

    /**
     * Runs {@code checks:2s} on a monitor for one period plus a second's slack (its runs at 0 and 2 s); the finding
     * events of those runs.
     */
    private List<IntegrityFindingEvent> findingsOfOnePeriod() {
        List<Event> events = Collections.synchronizedList(new ArrayList<>());
        Monitor monitor = new Monitor(session.driver(), session.linux(), events::add, Monitor.Options.named(vm.name()));
        monitor.start(Actions.build(new ActionSpec.Checks(List.of(), PERIOD), session.linux(), false));
        long startNanos = System.currentTimeMillis() * 1_000_000L;
        monitor.run(PERIOD.plusSeconds(1));
        List<IntegrityFindingEvent> findings = events.stream().filter(IntegrityFindingEvent.class::isInstance)
                .map(IntegrityFindingEvent.class::cast).toList();
        findings.stream().mapToLong(IntegrityFindingEvent::timeNanos).min().ifPresent(first ->
                assertThat(first - startNanos).as("first finding after the action started, ns")
                        .isLessThan(PERIOD.toNanos()));
        return findings;
    }

    private record Report(int exitCode, String output) {
    }

    /** What {@code vmiscope check} prints and returns, on this test's attached session. */
    private Report checkOnce() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = CheckCommand.report(vm.name(), session.linux().runChecks(session.linux().integrityChecks(List.of())),
                false, new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Report(code, out.toString(StandardCharsets.UTF_8));
    }

    /** Starts {@code command} in the guest's background; its pid. */
    private int background(String command) {
        String pid = vm.console().run(command + " >/dev/null 2>&1 & echo $!", CONSOLE).output().strip();
        return Integer.parseInt(pid);
    }

    /** The pid of a child of {@code parent}, as the guest's /proc shows it once it is there. */
    private int awaitChild(int parent) {
        long deadline = System.nanoTime() + CONSOLE.toNanos();
        while (System.nanoTime() < deadline) {
            String child = vm.console().run("awk '/^PPid:/ && $2 == " + parent + " { split(FILENAME, p, \"/\"); "
                    + "print p[3]; exit }' /proc/[0-9]*/status 2>/dev/null", CONSOLE).output().strip();
            if (child.matches("\\d+")) {
                return Integer.parseInt(child);
            }
        }
        throw new AssertionError("process " + parent + " started no child");
    }
}
