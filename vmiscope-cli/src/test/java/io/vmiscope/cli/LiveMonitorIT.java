package io.vmiscope.cli;

import io.vmiscope.events.ControlEvent;
import io.vmiscope.events.ProcessFilter;
import io.vmiscope.events.ExitEvent;
import io.vmiscope.events.FileEvent;
import io.vmiscope.events.NetworkEvent;
import io.vmiscope.events.SyscallEvent;
import io.vmiscope.events.ModuleSnapshotEvent;
import io.vmiscope.guest.GuestDistro;
import io.vmiscope.monitor.FileEventsAction;
import io.vmiscope.monitor.NetworkEventsAction;
import io.vmiscope.monitor.SyscallTraceAction;
import io.vmiscope.monitor.ProcessEventsAction;
import io.vmiscope.monitor.SnapshotAction;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Introspection actions on the real demo guest (busybox); the harness is {@link LiveMonitorTest}'s. */
class LiveMonitorIT extends LiveMonitorTest {

    @Override
    GuestDistro distro() {
        return GuestDistro.BUSYBOX;
    }

    @Override
    List<String> shell() {
        return List.of("/bin/busybox", "sh");
    }

    @Test
    void aRestrictedAction_reportsOnlyTheSelectedProcess() {
        int sleeper = Integer.parseInt(vm.console().run("sleep 600 >/dev/null 2>&1 </dev/null & echo $!")
                .orThrow().output().strip());
        runInBackground(new ProcessEventsAction(linux, new ProcessFilter(Set.of(sleeper), Set.of())));

        vm.console().run("for i in 1 2 3; do /bin/true; done").orThrow();
        vm.console().run("kill " + sleeper).orThrow();

        ExitEvent exit = awaitEvent(ExitEvent.class, e -> e.process().pid() == sleeper);
        assertThat(exit.signal()).isEqualTo(15);
        assertThat(events).filteredOn(e -> !(e instanceof ControlEvent))
                .allSatisfy(e -> assertThat(e.process().pid()).isEqualTo(sleeper));
        String id = "procevents[" + new ProcessFilter(Set.of(sleeper), Set.of()) + "]";
        assertThat(cost(id).hitsFiltered()).as("the other processes' hits were filtered").isPositive();
    }

    @Test
    void stoppingAnActionAtRunTime_removesItsBreakpoints_soNoFurtherHitsHappen() {
        ProcessEventsAction action = new ProcessEventsAction(linux, ProcessFilter.ALL);
        runInBackground(action, new SnapshotAction(SnapshotAction.Kind.PROCESSES, Duration.ofSeconds(60)));
        vm.console().run("/bin/true").orThrow();
        awaitEvent(ExitEvent.class, e -> true);

        monitor.stop(action.id());
        awaitEvent(ControlEvent.class, e -> e.change().equals("stopped") && e.action().equals(action.id()));
        long hits = cost(action.id()).hits();
        vm.console().run("for i in 1 2 3 4 5; do /bin/true; done").orThrow();

        assertThat(cost(action.id()).hits()).as("no hit after the stop").isEqualTo(hits);
        assertThat(monitor.running()).doesNotContain(action.id());
    }

    @Test
    void openingAKnownPath_appearsAsAFileEvent_withItsFlags() {
        runInBackground(new FileEventsAction(linux, ProcessFilter.ALL));

        vm.console().run("echo vmiscope > /tmp/known-file").orThrow();

        FileEvent open = awaitEvent(FileEvent.class, e -> e.path().equals("/tmp/known-file"));
        assertThat(open.operation()).isEqualTo("create");
        assertThat(open.detail()).contains("O_WRONLY").contains("O_CREAT").contains("O_TRUNC");
        assertThat(open.syscall()).isEqualTo("openat");
    }

    @Test
    void writesUnderAWatchedPath_areReported_withTheFilesFullPathAcrossMounts() {
        vm.console().run("mkdir -p /tmp/watched").orThrow(); // /tmp is a tmpfs mount: the path crosses it
        runInBackground(new FileEventsAction(linux, ProcessFilter.ALL, List.of("/tmp/watched")));

        vm.console().run("echo secret > /tmp/watched/x; echo other > /tmp/elsewhere").orThrow();

        FileEvent write = awaitEvent(FileEvent.class, e -> e.operation().equals("write"));
        assertThat(write.path()).isEqualTo("/tmp/watched/x");
        assertThat(write.detail()).isEqualTo("count=7");
        assertThat(events).filteredOn(e -> e instanceof FileEvent f && f.operation().equals("write"))
                .allSatisfy(e -> assertThat(((FileEvent) e).path()).startsWith("/tmp/watched/"));
    }

    @Test
    void wgetToTheGuestsOwnHttpd_showsTheConnect_andTheMatchingAccept() {
        runInBackground(new NetworkEventsAction(linux, ProcessFilter.ALL));

        vm.console().run("wget -q -O /dev/null http://127.0.0.1/").orThrow();

        NetworkEvent connect = awaitEvent(NetworkEvent.class, e -> e.operation().equals("connect"));
        assertThat(connect.address()).isEqualTo("127.0.0.1:80");
        assertThat(connect.process().name()).isEqualTo("wget");
        NetworkEvent accept = awaitEvent(NetworkEvent.class, e -> e.operation().equals("accept"));
        assertThat(accept.process().name()).isEqualTo("httpd");
        assertThat(accept.address()).matches("127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:80");
    }

    @Test
    void cachedTaskIdentities_areNeverStale_afterAnExecChain_taskStructReuse_orPidReuse() {
        runInBackground(new SyscallTraceAction(linux, syscalls("openat", ProcessFilter.ALL), false));

        // an exec chain: the same task (pid) opens a file as sh, then as head
        vm.console().run("for i in 1 2 3 4 5; do sh -c 'read x </tmp/chain-sh-$$; exec head -n1 /tmp/chain-head-$$'"
                + " 2>/dev/null; done; true").orThrow();
        // short-lived processes whose task_structs the kernel's slab hands to the next one, each opening its pid
        vm.console().run("for i in $(seq 1 20); do sh -c 'read x </tmp/reuse-$$' 2>/dev/null; done; true").orThrow();
        // the same pid twice, as sh and then as head
        vm.console().run("echo 4999 >/proc/sys/kernel/ns_last_pid; sh -c 'read x </tmp/pid-sh-$$' 2>/dev/null;"
                + " echo 4999 >/proc/sys/kernel/ns_last_pid; head -n1 /tmp/pid-head-5000 2>/dev/null; true").orThrow();

        awaitEvent(SyscallEvent.class, e -> pathOf(e).equals("/tmp/pid-head-5000"));
        List<SyscallEvent> marked = events.stream().filter(e -> e instanceof SyscallEvent).map(e -> (SyscallEvent) e)
                .filter(e -> pathOf(e).matches("/tmp/(chain-sh|chain-head|reuse|pid-sh|pid-head)-\\d+")).toList();
        assertThat(marked).as("5 + 5 chain steps, 20 reused task_structs, 2 reuses of pid 5000").hasSize(32);
        assertThat(marked).allSatisfy(e -> {
            String path = pathOf(e);
            assertThat(e.process().pid()).as(path).isEqualTo(Integer.parseInt(path.substring(path.lastIndexOf('-') + 1)));
            assertThat(e.process().name()).as(path).isEqualTo(path.contains("head") ? "head" : "sh");
        });
        assertThat(marked).filteredOn(e -> pathOf(e).startsWith("/tmp/pid-"))
                .allSatisfy(e -> assertThat(e.process().pid()).isEqualTo(5000));
    }

    private static String pathOf(SyscallEvent event) {
        return event.arguments().stream().filter(a -> a.type().equals("PATH")).map(a -> a.text().replace("\"", ""))
                .findFirst().orElse("");
    }

    @Test
    void tracingAllSyscalls_usesOneBreakpointOnTheCommonEntry_andSeesManyKinds() {
        SyscallTraceAction all = new SyscallTraceAction(linux, syscalls("all", ProcessFilter.ALL), false);
        assertThat(all.hooks()).singleElement().satisfies(h -> assertThat(h.symbol()).isEqualTo("do_syscall_64"));
        runInBackground(all);

        vm.console().run("cat /etc/passwd >/dev/null").orThrow();

        SyscallEvent open = awaitEvent(SyscallEvent.class,
                e -> e.name().equals("openat") && e.process().name().equals("cat"));
        assertThat(open.arguments()).anySatisfy(a -> assertThat(a.text()).isEqualTo("\"/etc/passwd\""));
        assertThat(events.stream().filter(e -> e instanceof SyscallEvent).map(e -> ((SyscallEvent) e).name())
                .distinct().count()).as("many different syscalls through one breakpoint").isGreaterThanOrEqualTo(8);
    }

    @Test
    void anUnpausedProcessSnapshot_listsTheGuestsProcesses() {
        runInBackground(new SnapshotAction(SnapshotAction.Kind.PROCESSES, Duration.ofSeconds(30), false));

        io.vmiscope.events.ProcessSnapshotEvent snapshot = awaitEvent(io.vmiscope.events.ProcessSnapshotEvent.class,
                e -> true);

        assertThat(snapshot.paused()).isFalse();
        assertThat(snapshot.processes()).extracting(io.vmiscope.events.ProcessSnapshotEvent.Entry::name)
                .contains("init", "httpd", "syslogd");
    }

    @Test
    void stoppingSyscallTracingAtRunTime_removesItsBreakpoints_soNoFurtherHitsHappen() {
        SyscallTraceAction trace = new SyscallTraceAction(linux, syscalls("openat,execve", ProcessFilter.ALL), false);
        runInBackground(trace, new SnapshotAction(SnapshotAction.Kind.PROCESSES, Duration.ofSeconds(60)));
        vm.console().run("cat /etc/passwd >/dev/null").orThrow();
        awaitEvent(SyscallEvent.class, e -> true);

        monitor.stop(trace.id());
        awaitEvent(ControlEvent.class, e -> e.change().equals("stopped") && e.action().equals(trace.id()));
        long hits = cost(trace.id()).hits();
        vm.console().run("for i in 1 2 3; do cat /etc/passwd >/dev/null; done").orThrow();

        assertThat(cost(trace.id()).hits()).as("no hit after the stop").isEqualTo(hits);
    }

    @Test
    void aRestrictedSyscallTrace_reportsOnlyTheSelectedProcess() {
        int shell = Integer.parseInt(vm.console().run(
                "sh -c 'while true; do cat /etc/hostname >/dev/null; sleep 1; done' >/dev/null 2>&1 </dev/null & echo $!")
                .orThrow().output().strip());
        SyscallTraceAction trace = new SyscallTraceAction(linux, syscalls("openat,execve,clone", ProcessFilter.pid(shell)),
                false);
        try {
            runInBackground(trace);
            vm.console().run("cat /etc/passwd >/dev/null; ls / >/dev/null").orThrow();
            awaitEvent(SyscallEvent.class, e -> e.process().pid() == shell);
            vm.console().run("sleep 1").orThrow();

            assertThat(events).filteredOn(e -> e instanceof SyscallEvent)
                    .isNotEmpty().allSatisfy(e -> assertThat(e.process().pid()).isEqualTo(shell));
            assertThat(cost(trace.id()).hitsFiltered()).as("other processes' calls were filtered").isPositive();
        } finally {
            vm.console().run("kill " + shell);
        }
    }

    @Test
    void oneShotMemoryRead_returnsAKnownProcessesArgv_throughItsOwnPageTables() {
        int pid = Integer.parseInt(vm.console().run("sleep 4343 >/dev/null 2>&1 </dev/null & p=$!; "
                + "while [ \"$(cat /proc/$p/comm)\" != sleep ]; do usleep 10000; done; echo $p").orThrow().output().strip());
        try {
            long argStart = Long.parseLong(vm.console().run("cut -d' ' -f48 /proc/" + pid + "/stat").orThrow()
                    .output().strip());

            byte[] argv = linux.readProcessMemory(pid, io.vmiscope.api.Gva.of(argStart), 11);

            assertThat(new String(argv, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("sleep\0" + "4343\0");
            assertThat(vm.qmp().isRunning()).isTrue();
        } finally {
            vm.console().run("kill " + pid);
        }
    }

    @Test
    void oneShotMemoryDump_writesAnElfCoreOfTheWholeRam(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path core = dir.resolve("guest.core");

        long size = io.vmiscope.guest.MemoryDump.write(vm.qmp(), core, (done, total) -> 0);

        assertThat(size).isEqualTo(java.nio.file.Files.size(core));
        byte[] head = java.util.Arrays.copyOf(java.nio.file.Files.readAllBytes(core), 4);
        assertThat(head).containsExactly(0x7f, 'E', 'L', 'F');
        assertThat(java.nio.file.Files.size(core)).isGreaterThan(256L << 20);
        assertThat(vm.qmp().isRunning()).isTrue();
    }

    @Test
    void insertingAModule_showsUpInTheNextModuleSnapshot() {
        String dummy = image.spareModules().stream().filter(m -> m.contains("dummy")).findFirst().orElseThrow();
        runInBackground(new SnapshotAction(SnapshotAction.Kind.MODULES, Duration.ofMillis(500)));
        awaitEvent(ModuleSnapshotEvent.class, e -> true);

        vm.console().run("insmod " + dummy).orThrow();
        try {
            ModuleSnapshotEvent seen = awaitEvent(ModuleSnapshotEvent.class, e -> e.appeared().contains("dummy"));
            assertThat(seen.modules()).anySatisfy(m -> {
                assertThat(m.name()).isEqualTo("dummy");
                assertThat(m.state()).isEqualTo("LIVE");
            });
        } finally {
            vm.console().run("rmmod dummy");
        }
        awaitEvent(ModuleSnapshotEvent.class, e -> e.disappeared().contains("dummy"));
    }
}
