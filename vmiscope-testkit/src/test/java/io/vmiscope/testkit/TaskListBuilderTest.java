package io.vmiscope.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmiscope.api.Gpa;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskListBuilderTest {

    private static final long TASKS_VA = 0xffff888001000000L;

    private final FakeGuest guest = new FakeGuest();
    private final PageTableBuilder tables = new PageTableBuilder(guest, 4, 0x100000);
    private final TaskListBuilder list = new TaskListBuilder(tables, TaskOffsets.COMPACT, TASKS_VA);

    @Test
    void nextPointers_leadFromTheHeadThroughEveryTaskBackToTheHead() {
        list.add(0, "swapper/0");
        list.add(1, "systemd");
        list.add(2, "kthreadd");

        long node = list.head().tasksAddress();
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            long task = node - TaskOffsets.COMPACT.tasks();
            names.append(comm(task)).append(',');
            node = u64(node);
        }
        assertThat(names).hasToString("swapper/0,systemd,kthreadd,");
        assertThat(node).isEqualTo(list.head().tasksAddress());
        assertThat(u64(list.head().tasksAddress() + 8)).isEqualTo(list.tasks().get(2).tasksAddress());
    }

    @Test
    void commLongerThan15Bytes_isTruncatedAndTerminated_unlessWrittenRaw() {
        TaskListBuilder.Task task = list.add(7, "a-very-long-process-name");
        assertThat(comm(task.address())).isEqualTo("a-very-long-pro");

        byte[] raw = new byte[TaskListBuilder.TASK_COMM_LEN];
        Arrays.fill(raw, (byte) 'x');
        list.setCommRaw(task, raw);
        assertThat(bytes(task.address() + TaskOffsets.COMPACT.comm(), 16)).containsOnly('x');
    }

    @Test
    void setNext_makesACycleThatSkipsTheHead() {
        list.add(0, "swapper/0");
        list.addMany(4, 1);
        list.setNext(list.tasks().get(4), list.tasks().get(2));

        assertThat(u64(list.tasks().get(4).tasksAddress())).isEqualTo(list.tasks().get(2).tasksAddress());
        assertThat(u64(list.tasks().get(3).tasksAddress())).isEqualTo(list.tasks().get(4).tasksAddress());
    }

    @Test
    void aHundredThousandTasks_fitTheDefaultFakeGuest_inTheCompactLayout() {
        list.add(0, "swapper/0");
        List<TaskListBuilder.Task> added = list.addMany(100_000, 1);

        TaskListBuilder.Task last = added.get(added.size() - 1);
        assertThat(u64(last.tasksAddress())).isEqualTo(list.head().tasksAddress());
        assertThat(u64(list.head().tasksAddress() + 8)).isEqualTo(last.tasksAddress());
        assertThat(comm(last.address())).isEqualTo("task-100000");
    }

    private String comm(long task) {
        byte[] field = bytes(task + TaskOffsets.COMPACT.comm(), 16);
        int end = 0;
        while (end < field.length && field[end] != 0) {
            end++;
        }
        return new String(field, 0, end, StandardCharsets.UTF_8);
    }

    private long u64(long va) {
        return guest.peekU64(Gpa.of(tables.physicalAddressOf(va).orElseThrow()));
    }

    private byte[] bytes(long va, int length) {
        return guest.peek(Gpa.of(tables.physicalAddressOf(va).orElseThrow()), length);
    }
}
