package io.vmiscope.linux.task;

import io.vmiscope.linux.FakeLinux;
import io.vmiscope.linux.walk.Anomaly;
import io.vmiscope.linux.walk.WalkLimits;
import io.vmiscope.linux.walk.WalkResult;
import io.vmiscope.testkit.TaskListBuilder.Task;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TaskWalkerTest {

    private static final long SLIDE = 0x0c00_0000L;
    private final FakeLinux linux = new FakeLinux(SLIDE);

    private WalkResult<ProcessInfo> walk(WalkLimits limits) {
        return new TaskWalker(linux.memory(), linux.profile(), SLIDE, limits, 2048).walk();
    }

    private WalkResult<ProcessInfo> walk() {
        return walk(WalkLimits.DEFAULT);
    }

    @Test
    void walk_listsEveryProcess_withParentCredentialsAndCommandLine() {
        Task init = linux.add(1, "init");
        Task httpd = linux.add(42, "httpd");
        Task kthreadd = linux.add(2, "kthreadd");
        linux.tasks().setRealParent(httpd, init);
        linux.credentials(init, 0, 0);
        linux.credentials(httpd, 33, 44);
        linux.credentials(kthreadd, 0, 0);
        linux.addressSpace(httpd, "httpd\0-f\0-p\080\0".getBytes(StandardCharsets.US_ASCII));
        linux.writeTaskFlags(kthreadd, TaskLayout.PF_KTHREAD);

        WalkResult<ProcessInfo> result = walk();

        assertThat(result.isComplete()).isTrue();
        assertThat(result.items()).extracting(ProcessInfo::tgid).containsExactly(1, 42, 2);
        ProcessInfo h = result.items().get(1);
        assertThat(h.ppid()).isEqualTo(1);
        assertThat(h.comm()).isEqualTo("httpd");
        assertThat(h.uid()).isEqualTo(33);
        assertThat(h.gid()).isEqualTo(44);
        assertThat(h.argv()).containsExactly("httpd", "-f", "-p", "80");
        assertThat(h.argvComplete()).isTrue();
        assertThat(h.commandLine()).isEqualTo("httpd -f -p 80");
        ProcessInfo k = result.items().get(2);
        assertThat(k.kernelThread()).isTrue();
        assertThat(k.commandLine()).isEqualTo("[kthreadd]");
        assertThat(result.items().get(0).ppid()).as("init's parent is the idle task, pid 0").isZero();
    }

    @Test
    void walk_stopsAtCycle_andReportsAnomaly() {
        Task a = linux.add(1, "a");
        linux.add(2, "b");
        Task c = linux.add(3, "c");
        linux.tasks().setNext(c, a); // c → a instead of back to init_task

        WalkResult<ProcessInfo> result = walk();

        assertThat(result.truncated()).isTrue();
        assertThat(result.items()).extracting(ProcessInfo::pid).containsExactly(1, 2, 3);
        assertThat(result.anomalies()).extracting(Anomaly::kind).contains(Anomaly.Kind.CYCLE);
    }

    @Test
    void walk_stopsAtNonCanonicalPointer_andKeepsWhatItRead() {
        Task a = linux.add(1, "a");
        linux.add(2, "b");
        linux.tasks().setNextRaw(a, 0x4141_4141_4141_4141L);

        WalkResult<ProcessInfo> result = walk();

        assertThat(result.truncated()).isTrue();
        assertThat(result.items()).extracting(ProcessInfo::pid).containsExactly(1);
        assertThat(result.anomalies()).singleElement().extracting(Anomaly::kind).isEqualTo(Anomaly.Kind.WILD_POINTER);
    }

    @Test
    void walk_stopsAtUnmappedTask_andSaysWhere() {
        Task a = linux.add(1, "a");
        linux.tasks().setNextRaw(a, 0xffff_c900_dead_0000L);

        WalkResult<ProcessInfo> result = walk();

        assertThat(result.truncated()).isTrue();
        assertThat(result.anomalies()).singleElement().satisfies(an -> {
            assertThat(an.kind()).isEqualTo(Anomaly.Kind.UNMAPPED);
            assertThat(an.where()).contains("0xffffc900dead0000");
        });
    }

    @Test
    void walk_boundsAHugeList_byTheNodeLimit() {
        for (int pid = 100; pid < 5_100; pid++) {
            linux.add(pid, "task");
        }

        WalkResult<ProcessInfo> result = walk(new WalkLimits(1_000, 256, 4096));

        assertThat(result.truncated()).isTrue();
        assertThat(result.items()).hasSize(999); // 1,000 nodes, minus the idle task
        assertThat(result.anomalies()).extracting(Anomaly::kind).containsExactly(Anomaly.Kind.LIMIT);
    }

    @Test
    void walk_flagsABackPointerThatDisagrees_asListCorruption() {
        linux.add(1, "a");
        Task b = linux.add(2, "b");
        linux.tasks().setPrevRaw(b, 0xffff_8880_0000_1000L);

        WalkResult<ProcessInfo> result = walk();

        assertThat(result.truncated()).isFalse();
        assertThat(result.items()).hasSize(2);
        assertThat(result.anomalies()).extracting(Anomaly::kind).containsExactly(Anomaly.Kind.LIST_CORRUPTION);
    }

    @Test
    void walk_decodesHostileNames_safely() {
        Task t = linux.add(7, "x");
        byte[] raw = new byte[16];
        java.util.Arrays.fill(raw, (byte) 0xff); // no NUL, not UTF-8
        linux.tasks().setCommRaw(t, raw);

        ProcessInfo p = walk().items().get(0);

        assertThat(p.comm()).hasSize(16).matches("\uFFFD+");
    }

    @Test
    void walk_capsTheCommandLine_andMarksItIncomplete() {
        Task t = linux.add(9, "big");
        byte[] argv = new byte[10_000];
        java.util.Arrays.fill(argv, (byte) 'A');
        linux.addressSpace(t, argv);

        ProcessInfo p = walk(new WalkLimits(100, 256, 64)).items().get(0);

        assertThat(p.argv()).singleElement().asString().hasSize(64);
        assertThat(p.argvComplete()).isFalse();
    }

    @Test
    void walk_readsARewrittenTitle_pastArgEndIntoTheEnvironment_asProcShowsIt() {
        Task nginx = linux.add(600, "nginx");
        String original = "/usr/sbin/nginx\0-g\0daemon on; master_process on;\0";
        String title = "nginx: master process /usr/sbin/nginx -g daemon on; master_process on;";
        byte[] written = (title + "\0\0\0\0").getBytes(StandardCharsets.US_ASCII); // setproctitle pads with NULs
        byte[] environment = new byte[64];
        System.arraycopy(written, original.length(), environment, 0, written.length - original.length());
        linux.addressSpace(nginx, java.util.Arrays.copyOf(written, original.length()), environment);

        ProcessInfo p = walk().items().get(0);

        assertThat(p.argv()).containsExactly(title);
        assertThat(p.argvComplete()).isTrue();
    }

    @Test
    void walk_showsOnlyTheFirstString_whenTheArgumentAreasLastByteIsNotNul() {
        Task t = linux.add(601, "worker");
        linux.addressSpace(t, "worker: idle\0stale\0tail".getBytes(StandardCharsets.US_ASCII),
                "HOME=/\0".getBytes(StandardCharsets.US_ASCII));

        ProcessInfo p = walk().items().get(0);

        assertThat(p.argv()).as("get_mm_proctitle() stops at the first NUL").containsExactly("worker: idle");
        assertThat(p.argvComplete()).isTrue();
    }

    @Test
    void walk_boundsARewrittenTitleWithoutNul_byTheLimit_andMarksItIncomplete() {
        Task t = linux.add(602, "hostile");
        byte[] environment = new byte[8192];
        java.util.Arrays.fill(environment, (byte) 'E'); // no NUL anywhere in two pages
        linux.addressSpace(t, "title".getBytes(StandardCharsets.US_ASCII), environment);

        ProcessInfo capped = walk(new WalkLimits(100, 256, 64)).items().get(0);
        ProcessInfo page = walk().items().get(0);

        assertThat(capped.argv()).singleElement().asString().hasSize(64).startsWith("titleE");
        assertThat(capped.argvComplete()).isFalse();
        assertThat(page.argv()).as("one page, as get_mm_proctitle() reads").singleElement().asString().hasSize(4096);
        assertThat(page.argvComplete()).as("the kernel shows no more than this either").isTrue();
    }

    @Test
    void stateLetter_followsTheKernelsTaskStateIndex() {
        assertThat(TaskWalker.stateLetter(0x00, 0x00)).isEqualTo('R');
        assertThat(TaskWalker.stateLetter(0x01, 0x01)).isEqualTo('S');
        assertThat(TaskWalker.stateLetter(0x02, 0x02)).isEqualTo('D');
        assertThat(TaskWalker.stateLetter(0x402, 0x402)).isEqualTo('I');
        assertThat(TaskWalker.stateLetter(0x20, 0x00)).isEqualTo('Z');
        assertThat(TaskWalker.stateLetter(0x04, 0x04)).isEqualTo('T');
    }
}
