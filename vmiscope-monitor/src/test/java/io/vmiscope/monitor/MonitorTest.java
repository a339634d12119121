package io.vmiscope.monitor;

import io.vmiscope.api.Gva;
import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.CostSummary;
import io.vmiscope.events.Event;
import io.vmiscope.events.ExitEvent;
import io.vmiscope.events.ForkEvent;
import io.vmiscope.events.ProcessFilter;
import io.vmiscope.events.ProcessSnapshotEvent;
import io.vmiscope.linux.FakeLinux;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.linux.walk.WalkLimits;
import io.vmiscope.testkit.FakeGuest;
import io.vmiscope.testkit.TaskListBuilder.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The monitor's loop on a fake Linux guest: dispatch, step-over, shared stops, costs, clean-up. */
class MonitorTest {

    private static final long SLIDE = 0x0200_0000L;

    private final FakeLinux linux = new FakeLinux(SLIDE);
    private final FakeGuest guest = linux.guest();
    private final List<Event> events = new ArrayList<>();
    private LinuxGuest attached;
    private Monitor monitor;
    private Task shell;
    private int vcpu;

    @BeforeEach
    void attach() {
        vcpu = guest.vcpus().get(0);
        shell = linux.add(42, "sh");
        linux.runOnCpu(shell);
        attached = LinuxGuest.attach(guest, linux.profile(), WalkLimits.DEFAULT);
        monitor = new Monitor(guest, attached, events::add, Monitor.Options.named("fake"));
    }

    private void hitDoExit(long waitStatus) {
        guest.setRegister(vcpu, "rdi", waitStatus);
        guest.scheduleBreakpointHit(vcpu, Gva.of(FakeLinux.DO_EXIT + SLIDE));
    }

    private <T extends Event> List<T> eventsOf(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void hit_emitsTheEvent_withTheCurrentProcess_andStepsOverTheBreakpoint() {
        monitor.start(new ProcessEventsAction(attached, ProcessFilter.ALL));
        hitDoExit(7 << 8);

        monitor.run(Duration.ofMillis(200));

        assertThat(eventsOf(ExitEvent.class)).singleElement().satisfies(e -> {
            assertThat(e.exitCode()).isEqualTo(7);
            assertThat(e.signal()).isZero();
            assertThat(e.process().pid()).isEqualTo(42);
            assertThat(e.process().name()).isEqualTo("sh");
        });
        String doExit = String.format("0x%x", FakeLinux.DO_EXIT + SLIDE);
        List<String> calls = guest.calls();
        int step = calls.indexOf("step " + vcpu);
        assertThat(step).as("stepped over the breakpoint: %s", calls).isPositive();
        assertThat(calls.subList(0, step)).anyMatch(c -> c.startsWith("remove") && c.contains(doExit));
        assertThat(calls.subList(step, calls.size())).anyMatch(c -> c.startsWith("insert") && c.contains(doExit));
    }

    @Test
    void aHookOnAFiveByteNop_isSteppedOverByAdvancingRip_leavingTheBreakpointInPlace() {
        linux.writeKernelText(FakeLinux.DO_EXIT, new byte[] {0x0f, 0x1f, 0x44, 0x00, 0x00}); // ftrace's NOP
        Monitor fresh = new Monitor(guest, attached, events::add, Monitor.Options.named("fake"));
        fresh.start(new ProcessEventsAction(attached, ProcessFilter.ALL));
        hitDoExit(0);

        fresh.run(Duration.ofMillis(200));

        assertThat(eventsOf(ExitEvent.class)).hasSize(1);
        assertThat(guest.calls()).noneMatch(c -> c.startsWith("step"));
        String doExit = String.format("0x%x", FakeLinux.DO_EXIT + SLIDE);
        assertThat(guest.calls().stream().filter(c -> c.startsWith("insert") && c.contains(doExit))).hasSize(1);
        assertThat(guest.register(vcpu, "rip")).isEqualTo(FakeLinux.DO_EXIT + SLIDE + 5);
    }

    @Test
    void a32BitCall_isTracedAtItsCompatEntry_withArgumentsFromBxCxDx() {
        SyscallTraceAction trace = new SyscallTraceAction(attached, new ActionSpec.Syscalls(List.of("openat"), ProcessFilter.ALL), false);
        assertThat(trace.hooks()).extracting(Hook::symbol).containsExactly("__x64_sys_openat", "__ia32_compat_sys_openat");
        monitor.start(trace);
        long path = linux.userString(0x0804_a000L, "/etc/shadow");
        guest.setRegister(vcpu, "rdi", linux.ia32PtRegs(0xffff_ff9cL, path, 0x241)); // AT_FDCWD as 32 bits
        guest.setRegister(vcpu, "cr3", linux.kernelCr3());
        guest.scheduleBreakpointHit(vcpu, Gva.of(FakeLinux.IA32_COMPAT_SYS_OPENAT + SLIDE));

        monitor.run(Duration.ofMillis(200));

        assertThat(eventsOf(io.vmiscope.events.SyscallEvent.class)).singleElement().satisfies(e -> {
            assertThat(e.abi()).isEqualTo("ia32");
            assertThat(e.name()).isEqualTo("openat");
            assertThat(e.arguments().get(1).text()).isEqualTo("\"/etc/shadow\"");
            assertThat(e.arguments().get(2).text()).contains("O_WRONLY").contains("O_CREAT").contains("O_TRUNC");
            assertThat(e.process().pid()).isEqualTo(42);
        });
    }

    @Test
    void killedBySignal_reportsTheSignal_notAnExitStatus() {
        monitor.start(new ProcessEventsAction(attached, ProcessFilter.ALL));
        hitDoExit(9);

        monitor.run(Duration.ofMillis(200));

        assertThat(eventsOf(ExitEvent.class)).singleElement().satisfies(e -> {
            assertThat(e.signal()).isEqualTo(9);
            assertThat(e.exitCode()).isEqualTo(-1);
        });
    }

    @Test
    void fork_reportsTheChild() {
        Task child = linux.add(43, "sh");
        monitor.start(new ProcessEventsAction(attached, ProcessFilter.ALL));
        guest.setRegister(vcpu, "rdi", child.address());
        guest.scheduleBreakpointHit(vcpu, Gva.of(FakeLinux.WAKE_UP_NEW_TASK + SLIDE));

        monitor.run(Duration.ofMillis(200));

        assertThat(eventsOf(ForkEvent.class)).singleElement().satisfies(e -> {
            assertThat(e.process().pid()).isEqualTo(42);
            assertThat(e.childPid()).isEqualTo(43);
            assertThat(e.thread()).isFalse();
        });
    }

    @Test
    void twoActionsOnOneAddress_shareOneBreakpoint_oneStop_andSplitItsCost() {
        monitor.start(new ProcessEventsAction(attached, ProcessFilter.ALL));
        monitor.start(new ProcessEventsAction(attached, new ProcessFilter(Set.of(999), Set.of())));
        hitDoExit(0);

        monitor.run(Duration.ofMillis(200));

        assertThat(guest.calls().stream().filter(c -> c.startsWith("insert")
                && c.contains(String.format("0x%x", FakeLinux.DO_EXIT + SLIDE)))).hasSize(2); // initial + after step
        List<CostSummary> costs = monitor.costs();
        assertThat(costs).hasSize(2).allSatisfy(c -> assertThat(c.hits()).isEqualTo(1));
        assertThat(costs).filteredOn(c -> c.action().equals("procevents")).singleElement()
                .satisfies(c -> assertThat(c.hitsWithEvents()).isEqualTo(1));
        assertThat(costs).filteredOn(c -> !c.action().equals("procevents")).singleElement()
                .satisfies(c -> assertThat(c.hitsFiltered()).isEqualTo(1));
        long stoppedA = costs.get(0).stoppedNanos();
        long stoppedB = costs.get(1).stoppedNanos();
        assertThat(Math.abs(stoppedA - stoppedB)).as("an even split of one stop").isLessThanOrEqualTo(1);
    }

    @Test
    void costsBySite_countAStopSharedByTwoActionsOnce_withItsWholeRoundTripsAndTime() {
        monitor.start(new ProcessEventsAction(attached, ProcessFilter.ALL));
        monitor.start(new ProcessEventsAction(attached, new ProcessFilter(Set.of(999), Set.of())));
        hitDoExit(0);

        monitor.run(Duration.ofMillis(200));

        CostSummary site = monitor.costsBySite().stream().filter(c -> c.action().equals("do_exit")).findFirst()
                .orElseThrow();
        assertThat(site.hits()).isEqualTo(1);
        assertThat(site.stoppedNanos()).as("the whole stop, which the actions split")
                .isCloseTo(monitor.costs().stream().mapToLong(CostSummary::stoppedNanos).sum(), org.assertj.core.data.Offset.offset(1L));
        assertThat(site.roundTripsPerStop()).isEqualTo(
                monitor.costs().stream().mapToDouble(CostSummary::roundTripsPerStop).sum());
    }

    @Test
    void costs_addUp_hitsAreEventsPlusFilteredPlusFailed() {
        monitor.start(new ProcessEventsAction(attached, new ProcessFilter(Set.of(42), Set.of())));
        hitDoExit(0);
        Task other = linux.add(77, "other");
        guest.setRegister(vcpu, "rdi", other.address());
        guest.scheduleBreakpointHit(vcpu, Gva.of(FakeLinux.WAKE_UP_NEW_TASK + SLIDE));
        guest.setRegister(vcpu, "rdi", 0x4141_4141_4141_4141L); // a wild child pointer: the handler fails
        guest.scheduleBreakpointHit(vcpu, Gva.of(FakeLinux.WAKE_UP_NEW_TASK + SLIDE));

        monitor.run(Duration.ofMillis(300));

        CostSummary cost = monitor.costs().get(0);
        assertThat(cost.hits()).isEqualTo(3);
        assertThat(cost.hitsWithEvents() + cost.hitsFiltered() + cost.hitsFailed()).isEqualTo(cost.hits());
        assertThat(cost.events()).isEqualTo(eventsOf(ExitEvent.class).size() + eventsOf(ForkEvent.class).size());
        assertThat(cost.stoppedNanos()).isPositive();
        assertThat(cost.roundTripsPerStop()).isPositive();
    }

    @Test
    void stoppingAnAction_removesItsBreakpoints_andTheRunEndsWithNoneLeft() {
        monitor.start(new ProcessEventsAction(attached, ProcessFilter.ALL));
        monitor.run(Duration.ofMillis(100));
        assertThat(guest.insertedBreakpoints()).as("run() ends with every breakpoint removed").isEmpty();
        assertThat(guest.isPaused()).isFalse();

        monitor.start(new ProcessEventsAction(attached, ProcessFilter.ALL));
        monitor.stop("procevents");
        monitor.run(Duration.ofMillis(100));

        assertThat(guest.insertedBreakpoints()).isEmpty();
        assertThat(eventsOf(io.vmiscope.events.ControlEvent.class)).extracting(io.vmiscope.events.ControlEvent::change)
                .contains("started", "stopped");
    }

    @Test
    void anUnpausedSnapshot_letsTheVmRunBetweenTasks_andStillListsThem() {
        linux.add(43, "a");
        linux.add(44, "b");
        monitor.start(new SnapshotAction(SnapshotAction.Kind.PROCESSES, Duration.ofSeconds(10), false));
        guest.clearCalls();

        monitor.run(Duration.ofMillis(100));

        ProcessSnapshotEvent snapshot = eventsOf(ProcessSnapshotEvent.class).get(0);
        assertThat(snapshot.paused()).isFalse();
        assertThat(snapshot.processes()).extracting(ProcessSnapshotEvent.Entry::pid).contains(42, 43, 44);
        List<String> calls = guest.calls();
        int firstRead = calls.indexOf(calls.stream().filter(c -> c.startsWith("read")).findFirst().orElseThrow());
        assertThat(calls.subList(firstRead, calls.size()).stream().filter(c -> c.equals("resume")).count())
                .as("the VM ran between the tasks of the walk").isGreaterThanOrEqualTo(3);
    }

    @Test
    void periodicSnapshots_reportWhatAppearedAndDisappeared() {
        // the guest "runs" between snapshots: a process appears right after the first one
        Monitor watching = new Monitor(guest, attached, event -> {
            events.add(event);
            if (event instanceof ProcessSnapshotEvent && eventsOf(ProcessSnapshotEvent.class).size() == 1) {
                linux.add(50, "newcomer");
            }
        }, Monitor.Options.named("fake"));
        watching.start(new SnapshotAction(SnapshotAction.Kind.PROCESSES, Duration.ofMillis(100)));
        watching.run(Duration.ofMillis(350));

        List<ProcessSnapshotEvent> snapshots = eventsOf(ProcessSnapshotEvent.class);
        assertThat(snapshots).hasSizeGreaterThanOrEqualTo(2);
        assertThat(snapshots.get(0).appeared()).contains(42);
        ProcessSnapshotEvent later = snapshots.get(snapshots.size() - 1);
        assertThat(later.processes()).extracting(ProcessSnapshotEvent.Entry::pid).contains(42, 50);
        assertThat(snapshots.stream().flatMap(s -> s.appeared().stream())).contains(50);
        assertThat(later.paused()).isTrue();
    }
}
