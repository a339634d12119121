package io.vmiscope.cli;

import io.vmiscope.guest.QemuVm;
import io.vmiscope.overhead.workload.Rate;
import io.vmiscope.overhead.workload.Workload;
import io.vmiscope.overhead.workload.WorkloadGuest;
import io.vmiscope.overhead.workload.Workloads;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The overhead workloads on the real demo guest: each runs at a steady rate measured on the host's
 * clock, and leaves nothing behind when stopped. One booted guest for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkloadsIT {

    private static final Duration WINDOW = Duration.ofSeconds(3);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final double STEADY_FACTOR = 1.5;
    private static final Duration PAUSE = Duration.ofMillis(1500);

    private QemuVm vm;
    private WorkloadGuest guest;

    @BeforeAll
    void bootGuest() {
        vm = TestGuests.boot("workloads");
        guest = new WorkloadGuest(new ConsoleShell(vm.console()), new InetSocketAddress("127.0.0.1", vm.httpPort()),
                vm.serialLog());
    }

    @AfterAll
    void stopGuest() {
        if (vm != null) {
            vm.stop();
        }
    }

    @ParameterizedTest(name = "{0} runs at a steady rate and leaves nothing behind")
    @ValueSource(strings = {"syscalls", "forkexec", "fileio", "cpu"})
    void guestWorkload_runsAtASteadyRate_andLeavesNothingBehind(String name) {
        Workload workload = Workloads.byName(name);
        workload.start(guest);
        try {
            long group = processGroup(name);
            assertThat(processes()).anyMatch(p -> p.group() == group);

            assertSteady(workload);

            workload.stop(guest);
            assertThat(processes()).noneMatch(p -> p.group() == group || p.isLoopOf(name));
            assertThat(shell("if [ -e " + file(name, ".count") + " ]; then echo present; else echo gone; fi"))
                    .isEqualTo("gone");
        } finally {
            workload.stop(guest);
        }
    }

    @Test
    void web_runsAtASteadyRate_andReportsLatencyPercentiles() {
        Workload web = Workloads.byName("web");
        web.start(guest);

        List<Rate> windows = assertSteady(web);

        assertThat(windows).allSatisfy(rate -> assertThat(rate.latencies())
                .hasValueSatisfying(l -> assertThat(l.p50Millis()).isPositive().isLessThanOrEqualTo(l.p99Millis())));
        web.stop(guest);
    }

    @Test
    void startingARunningWorkload_restartsIt() {
        Workload cpu = Workloads.byName("cpu");
        try {
            cpu.start(guest);
            long before = processGroup("cpu");

            cpu.start(guest);
            long after = processGroup("cpu");

            assertThat(after).isNotEqualTo(before);
            assertThat(processes()).noneMatch(p -> p.group() == before);
            assertThat(processes()).filteredOn(p -> p.isLoopOf("cpu")).hasSize(1);
        } finally {
            cpu.stop(guest);
        }
    }

    @Test
    void rate_fallsWhileTheVmIsPaused_becauseTheHostsClockTimesIt() throws Exception {
        Workload cpu = Workloads.byName("cpu");
        cpu.start(guest);
        try {
            Rate before = cpu.measure(guest, Duration.ofSeconds(3));
            CompletableFuture<Void> pause = CompletableFuture.runAsync(() -> pause(Duration.ofMillis(750), PAUSE));
            Rate paused = cpu.measure(guest, Duration.ofSeconds(3));
            pause.get(10, TimeUnit.SECONDS);
            Rate after = cpu.measure(guest, Duration.ofSeconds(3));

            System.out.println("workload cpu: running " + before + ", " + after + "; paused " + PAUSE.toMillis() + " ms of 3 s: " + paused);
            // Half the window paused: about half the rate, where the guest's own clock would show no drop.
            // The faster of the windows around it stands for the running rate: other processes on the
            // shared host may have slowed one of them.
            assertThat(paused.opsPerSecond())
                    .isLessThanOrEqualTo(0.8 * Math.max(before.opsPerSecond(), after.opsPerSecond()));
        } finally {
            cpu.stop(guest);
        }
    }

    /** Pauses the VM's vCPUs through QMP for {@code length}, {@code delay} from now. */
    private void pause(Duration delay, Duration length) {
        try {
            TimeUnit.MILLISECONDS.sleep(delay.toMillis());
            vm.qmp().stop();
            try {
                TimeUnit.MILLISECONDS.sleep(length.toMillis());
            } finally {
                vm.qmp().cont();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pausing the VM", e);
        }
    }

    /**
     * Asserts that two consecutive windows have positive rates within a factor of 1.5. The host is
     * shared (other builds run beside this test), so a burst of their CPU use may slow one window: more
     * windows are measured, up to {@value #MOST_WINDOWS}, until two consecutive ones agree.
     *
     * @return the windows measured
     */
    private static final int MOST_WINDOWS = 5;

    private List<Rate> assertSteady(Workload workload) {
        List<Rate> windows = new ArrayList<>(List.of(workload.measure(guest, WINDOW), workload.measure(guest, WINDOW)));
        while (windows.size() < MOST_WINDOWS
                && !withinFactor(windows.get(windows.size() - 2), windows.get(windows.size() - 1))) {
            windows.add(workload.measure(guest, WINDOW));
        }
        System.out.println("workload " + workload.name() + ": " + windows);
        assertThat(windows).allSatisfy(rate -> assertThat(rate.opsPerSecond()).isPositive());
        assertThat(withinFactor(windows.get(windows.size() - 2), windows.get(windows.size() - 1)))
                .as("the last two windows' rates are within a factor of %s: %s", STEADY_FACTOR, windows).isTrue();
        return windows;
    }

    private static boolean withinFactor(Rate a, Rate b) {
        double ratio = a.opsPerSecond() / b.opsPerSecond();
        return ratio >= 1 / STEADY_FACTOR && ratio <= STEADY_FACTOR;
    }

    private long processGroup(String name) {
        return Long.parseLong(shell("cat " + file(name, ".pid")));
    }

    /** The guest's processes as {@code ps} lists them. */
    private List<GuestProcess> processes() {
        return shell("ps -o pid,pgid,args").lines().skip(1).map(String::strip)
                .map(line -> line.split("\\s+", 3))
                .map(f -> new GuestProcess(Long.parseLong(f[0]), Long.parseLong(f[1]), f.length > 2 ? f[2] : ""))
                .toList();
    }

    private String shell(String command) {
        return guest.shell().run(command, TIMEOUT).strip();
    }

    private static String file(String workload, String suffix) {
        return Workloads.GUEST_DIRECTORY + "/" + workload + suffix;
    }

    private record GuestProcess(long pid, long group, String args) {

        /**
         * The workload's loop itself; its children are in its process group. (The test console's
         * time-limit watchers also name the workload's files, in the command they watch.)
         */
        boolean isLoopOf(String workload) {
            return args.equals("sh " + file(workload, ".sh"));
        }
    }
}
