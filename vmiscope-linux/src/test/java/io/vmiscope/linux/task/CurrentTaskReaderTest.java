package io.vmiscope.linux.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmiscope.linux.FakeLinux;
import io.vmiscope.testkit.TaskListBuilder;
import io.vmiscope.x86.GuestMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class CurrentTaskReaderTest {

    private final FakeLinux linux = new FakeLinux(0);
    private final GuestMemory memory = linux.memory();
    private final CurrentTaskReader reader = new CurrentTaskReader(memory, linux.profile(), 2048);

    @Test
    void sameTaskAtTheNextStop_isOneRoundTrip() {
        TaskListBuilder.Task shell = linux.add(42, "sh");
        linux.credentials(shell, 1000, 1000);
        linux.runOnCpu(shell);
        reader.current(FakeLinux.PER_CPU_BASE);
        memory.invalidate();
        long before = linux.guest().stats().roundTrips();

        TaskIdentity again = reader.current(FakeLinux.PER_CPU_BASE);

        assertThat(linux.guest().stats().roundTrips() - before).isEqualTo(1);
        assertThat(again.pid()).isEqualTo(42);
        assertThat(again.uid()).isEqualTo(1000);
        assertThat(again.ppid()).isZero();
    }

    @Test
    void aTaskWhoseCredentialsChanged_isReadAgain_notReportedWithTheOldUid() {
        TaskListBuilder.Task shell = linux.add(42, "sh");
        linux.credentials(shell, 1000, 1000);
        linux.runOnCpu(shell);
        reader.current(FakeLinux.PER_CPU_BASE);
        linux.credentials(shell, 0, 0);
        memory.invalidate();

        assertThat(reader.current(FakeLinux.PER_CPU_BASE).uid()).isZero();
    }

    @Property(tries = 150)
    void cachedIdentities_areNeverStale_afterExecPidReuseSetuidOrReparenting(@ForAll long seed) {
        Random random = new Random(seed);
        FakeLinux guest = new FakeLinux(0);
        List<TaskListBuilder.Task> tasks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            TaskListBuilder.Task task = guest.add(100 + i, "task-" + i);
            guest.credentials(task, 1000 + i, 1000 + i);
            tasks.add(task);
        }
        GuestMemory kept = guest.memory();
        CurrentTaskReader longLived = new CurrentTaskReader(kept, guest.profile(), 2048);
        int nextPid = 200;
        for (int step = 0; step < 25; step++) {
            TaskListBuilder.Task task = tasks.get(random.nextInt(tasks.size()));
            switch (random.nextInt(6)) {
                case 0 -> guest.runOnCpu(task);
                case 1 -> guest.rewriteIdentity(task, task.pid(), "exec-" + step); // exec: same pid, new comm
                case 2 -> guest.rewriteIdentity(task, nextPid++, "reused-" + step); // exit, then pid reuse
                case 3 -> guest.credentials(task, random.nextInt(5000), 0); // setuid: a new cred
                case 4 -> guest.rewriteUidInPlace(task, random.nextInt(5000)); // a cred freed and reused in place
                default -> guest.tasks().setRealParent(task, tasks.get(random.nextInt(tasks.size()))); // reparenting
            }
            if (step == 0) {
                guest.runOnCpu(task);
            }
            kept.invalidate();
            TaskIdentity fresh = new CurrentTaskReader(guest.memory(), guest.profile(), 2048)
                    .current(FakeLinux.PER_CPU_BASE);

            assertThat(longLived.current(FakeLinux.PER_CPU_BASE)).as("step %d", step).isEqualTo(fresh);
        }
    }
}
