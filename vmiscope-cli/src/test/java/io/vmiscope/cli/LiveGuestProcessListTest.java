package io.vmiscope.cli;

import io.vmiscope.gdb.GdbAddress;
import io.vmiscope.gdb.GdbDriver;
import io.vmiscope.gdb.GdbOptions;
import io.vmiscope.guest.GuestDistro;
import io.vmiscope.guest.QemuVm;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.profile.KernelProfiles;
import io.vmiscope.linux.profile.ProfileCache;
import io.vmiscope.linux.task.ProcessInfo;
import io.vmiscope.linux.walk.WalkLimits;
import io.vmiscope.linux.walk.WalkResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The process list read from outside (VMI) against the guest's own /proc, on the real demo guest under
 * QEMU. One booted guest per class; subclasses choose KASLR on or off, and the guest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LiveGuestProcessListTest {

    private static final long UNSLID_TEXT = 0xffff_ffff_8100_0000L;
    /** pid|ppid|comm|cmdline for every process, as the guest itself sees them. */
    private static final String PROC_SNAPSHOT = "for d in /proc/[0-9]*; do p=${d#/proc/}; "
            + "pp=$(awk '/^PPid:/{print $2}' $d/status 2>/dev/null) || continue; [ -n \"$pp\" ] || continue; "
            + "c=$(cat $d/comm 2>/dev/null); a=$(tr '\\0' ' ' < $d/cmdline 2>/dev/null); "
            + "echo \"$p|$pp|$c|$a\"; done";

    private QemuVm vm;
    private KernelProfile profile;

    abstract boolean kaslr();

    /** The guest the class runs on; the demo guest unless a subclass says otherwise. */
    GuestDistro distro() {
        return GuestDistro.BUSYBOX;
    }

    @BeforeAll
    void bootGuest() {
        vm = TestGuests.boot(distro(), (kaslr() ? "live-kaslr-" : "live-nokaslr-") + distro().id(), kaslr());
        profile = KernelProfiles.load(TestGuests.image(distro()).kernel(), ProfileCache.atDefaultLocation());
    }

    @AfterAll
    void stopGuest() {
        if (vm != null) {
            vm.stop();
        }
    }

    /** Attaches, lists, detaches: the VM runs again afterwards. */
    private <T> T attached(java.util.function.Function<LinuxGuest, T> work) {
        try (GdbDriver driver = GdbDriver.connect(new GdbAddress.Unix(vm.gdbSocket()), GdbOptions.DEFAULTS)) {
            return work.apply(LinuxGuest.attach(driver, profile, WalkLimits.DEFAULT));
        }
    }

    private Map<Integer, String> guestView() {
        Map<Integer, String> view = new HashMap<>();
        for (String line : vm.console().run(PROC_SNAPSHOT).orThrow().output().split("\n")) {
            String[] f = line.split("\\|", 4);
            if (f.length == 4) {
                view.put(Integer.parseInt(f[0]), f[1] + "|" + f[2] + "|" + f[3].strip());
            }
        }
        return view;
    }

    /**
     * Same ppid, comm and command line. For kernel threads (ppid 2) /proc decorates the name: a
     * workqueue worker gets its current workqueue appended ({@code kworker/0:0-rcu_gp}, the kernel's
     * wq_worker_comm), and a name longer than the 15 characters of {@code task->comm} is shown in full
     * from {@code struct kthread} ({@code rcu_tasks_kthread}). Nothing else may differ.
     */
    static boolean sameProcess(String vmi, String proc) {
        if (vmi == null || proc == null) {
            return false;
        }
        if (vmi.equals(proc)) {
            return true;
        }
        String[] v = vmi.split("\\|", -1);
        String[] g = proc.split("\\|", -1);
        boolean kernelThread = v[0].equals("2") && g[0].equals("2") && v[2].isEmpty() && g[2].isEmpty();
        return kernelThread && g[1].startsWith(v[1])
                && (v[1].length() == 15 || (v[1].startsWith("kworker/") && g[1].charAt(v[1].length()) == '-'));
    }

    private static String asGuestSeesIt(ProcessInfo p) {
        return p.ppid() + "|" + p.comm() + "|" + String.join(" ", p.argv());
    }

    @Test
    void processList_matchesTheGuestsOwnProc_pidsPpidsNamesAndCommandLines() {
        Map<Integer, String> before = guestView();
        WalkResult<ProcessInfo> vmi = attached(LinuxGuest::processes);
        Map<Integer, String> after = guestView();

        assertThat(vmi.isComplete()).as("anomalies: %s", vmi.anomalies()).isTrue();
        Map<Integer, String> seen = new HashMap<>();
        vmi.items().forEach(p -> seen.put(p.tgid(), asGuestSeesIt(p)));
        // processes the guest showed the same way before and after the walk existed during it
        Set<Integer> stable = new HashSet<>(before.keySet());
        stable.retainAll(after.keySet());
        stable.removeIf(pid -> !before.get(pid).equals(after.get(pid)));
        assertThat(stable).hasSizeGreaterThan(40);
        for (int pid : stable) {
            assertThat(sameProcess(seen.get(pid), before.get(pid))).as("pid %d: VMI %s, guest %s", pid,
                    seen.get(pid), before.get(pid)).isTrue();
        }
        // and VMI saw nothing that the guest did not show at one of the two moments
        assertThat(seen.keySet()).allSatisfy(pid ->
                assertThat(before.containsKey(pid) || after.containsKey(pid)).as("pid %d", pid).isTrue());
        assertThat(seen.values()).anyMatch(v -> v.contains("|" + distro().webServer() + "|"));
    }

    @Test
    void aProcessStartedInTheGuest_appears_andDisappearsWhenKilled() {
        // wait in the guest until the background child has exec'd sleep, then report its pid
        int pid = Integer.parseInt(vm.console().run("sleep 4242 >/dev/null 2>&1 </dev/null & p=$!; "
                + "while [ \"$(cat /proc/$p/comm)\" != sleep ]; do sleep 0.01; done; echo $p").orThrow().output().strip());

        ProcessInfo sleeper = attached(l -> l.processes().items().stream()
                .filter(p -> p.tgid() == pid).findFirst().orElse(null));
        assertThat(sleeper).as("pid %d in the VMI list", pid).isNotNull();
        assertThat(sleeper.comm()).isEqualTo("sleep");
        assertThat(sleeper.argv()).containsExactly("sleep", "4242");
        assertThat(sleeper.kernelThread()).isFalse();

        vm.console().run("kill " + pid + "; sleep 0.2").orThrow();
        assertThat(eventually(() -> attached(l -> l.processes().items().stream().noneMatch(p -> p.tgid() == pid))))
                .as("pid %d gone after kill", pid).isTrue();
    }

    @Test
    void kaslrSlide_isTheOneTheGuestReports() {
        String text = vm.console().run("grep ' _text$' /proc/kallsyms | cut -d' ' -f1").orThrow().output().strip();
        long expected = Long.parseUnsignedLong(text, 16) - UNSLID_TEXT;

        long slide = attached(l -> l.location().slide());

        assertThat(slide).isEqualTo(expected);
        assertThat(slide != 0).isEqualTo(kaslr());
    }

    @Test
    void psCommand_printsJson_andLeavesTheVmRunning() {
        CliRun run = CliRun.of("ps", "--vm", vm.name(), "--json");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"complete\" : true").contains("\"comm\" : \"" + distro().webServer() + "\"");
        assertThat(vm.qmp().isRunning()).isTrue();
    }

    private static boolean eventually(Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.get()) {
                return true;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
