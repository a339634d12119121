package io.vmiscope.analysis;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The lifetime state machine on its own, fed by hand. */
class LifetimesTest {

    private static Lifetimes.Entry entry(int pid, int ppid, String name) {
        return new Lifetimes.Entry(pid, ppid, 0, name, name, false);
    }

    @Test
    void forkOfAPidStillAlive_replacesTheOldProcess_justBeforeTheNewOneStarts() {
        Lifetimes t = new Lifetimes();
        t.fork(10, 1, "init", 0, 50, false);
        t.fork(20, 1, "init", 0, 50, false);
        List<Lifetimes.Proc> all = t.processes();
        assertThat(all).hasSize(2);
        assertThat(all.get(0).endNanos).isEqualTo(19);
        assertThat(all.get(0).endReason).isEqualTo("replaced");
        assertThat(all.get(1).endNanos).isNull();
    }

    @Test
    void execThroughProcSelfExe_isNamedAfterArgv0_asBusyboxAppletsAre() {
        Lifetimes t = new Lifetimes();
        t.fork(10, 1, "sh", 0, 50, false);
        t.exec(11, 50, 1, 0, "/proc/self/exe", List.of("cat", "/etc/passwd"));
        t.exec(12, 60, 1, 0, "/usr/bin/wget", List.of("wget", "-q"));

        assertThat(t.processes()).extracting(p -> p.pid, p -> p.name)
                .contains(org.assertj.core.groups.Tuple.tuple(50, "cat"), org.assertj.core.groups.Tuple.tuple(60, "wget"));
    }

    @Test
    void incompleteSnapshot_endsNothing_completeOneEndsTheMissing_exceptPidZero() {
        Lifetimes t = new Lifetimes();
        t.snapshot(0, true, List.of(entry(0, 0, "swapper"), entry(1, 0, "init"), entry(7, 1, "d")));
        t.snapshot(5, false, List.of(entry(1, 0, "init")));
        assertThat(t.processes()).allSatisfy(p -> assertThat(p.endNanos).isNull());
        t.snapshot(9, true, List.of(entry(1, 0, "init")));
        assertThat(t.processes()).extracting(p -> p.pid, p -> p.endNanos)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, null),
                        org.assertj.core.groups.Tuple.tuple(1, null), org.assertj.core.groups.Tuple.tuple(7, 9L));
    }

    @Test
    void processWithActivityAfterASnapshotThatOmitsIt_staysAlive() {
        Lifetimes t = new Lifetimes();
        t.snapshot(0, true, List.of(entry(1, 0, "init")));
        t.birth(new Lifetimes.Birth(66, 2, 30, 1, 0, "hidden"));
        t.snapshot(10, true, List.of(entry(1, 0, "init")));
        assertThat(t.processes().get(1).endNanos).isNull();
        t.snapshot(40, true, List.of(entry(1, 0, "init")));
        assertThat(t.processes().get(1).endNanos).isEqualTo(40);
        assertThat(t.processes().get(1).lifetime()).isEqualTo(Lifetime.ENDED_DURING_MONITORING);
    }

    @Test
    void laterSnapshotAppearance_countsAsStartedDuringMonitoring() {
        Lifetimes t = new Lifetimes();
        t.snapshot(0, true, List.of(entry(1, 0, "init")));
        t.snapshot(5, true, List.of(entry(1, 0, "init"), entry(9, 1, "new")));
        assertThat(t.processes()).extracting(Lifetimes.Proc::lifetime)
                .containsExactly(Lifetime.RUNNING_BEFORE_MONITORING, Lifetime.STARTED_STILL_RUNNING);
        assertThat(t.processes().get(1).parent.pid).isEqualTo(1);
    }

    @Test
    void parentCycleInSnapshotData_resolvesParents_withoutLooping() {
        Lifetimes t = new Lifetimes();
        t.snapshot(0, true, List.of(entry(5, 6, "a"), entry(6, 5, "b")));
        List<Lifetimes.Proc> all = t.processes();
        assertThat(all.get(0).parent).isSameAs(all.get(1));
        assertThat(all.get(1).parent).isSameAs(all.get(0));
    }

    @Test
    void execOfAnUnknownPid_startsAProcess_underTheExecsParent() {
        Lifetimes t = new Lifetimes();
        t.snapshot(0, true, List.of(entry(1, 0, "init")));
        t.exec(3, 42, 1, 1000, "/bin/ls", List.of("ls", "-l"));
        t.exit(4, 42, 0, true);
        Lifetimes.Proc ls = t.processes().get(1);
        assertThat(ls.name).isEqualTo("ls");
        assertThat(ls.commandLine).isEqualTo("ls -l");
        assertThat(ls.endNanos).as("a thread exit does not end it").isNull();
        t.exit(5, 42, 2, false);
        assertThat(ls.endNanos).isEqualTo(5);
        assertThat(ls.exitCode).isEqualTo(2);
    }
}
