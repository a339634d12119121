package io.vmiscope.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays out a Linux-like task list in a {@link FakeGuest}: fake {@code task_struct}s at kernel
 * virtual addresses, chained through their {@code tasks} member into a circular doubly linked list
 * (as the kernel's {@code struct list_head}: {@code next} and {@code prev} point at the neighbours'
 * {@code tasks} members, not at the structs).
 *
 * <pre>
 *   head (init_task) ⇄ task 1 ⇄ task 2 ⇄ … ⇄ task n ⇄ back to head
 * </pre>
 *
 * <p>The first task added is the list head (Linux's {@code init_task}). Structs are placed one after
 * another from {@code firstTaskVa} on, each at a 64-byte aligned address, on fresh pages mapped through
 * the given {@link PageTableBuilder}; bytes not set by the builder read as zero. A task's
 * {@code real_parent} defaults to the head. The member offsets come from {@link TaskOffsets}; for very
 * long lists use a compact layout such as {@link TaskOffsets#COMPACT} (each struct's pages are
 * really allocated).
 *
 * <p>The corruption hooks ({@link #setNext}, {@link #setNextRaw}, {@link #setPrevRaw},
 * {@link #unlink}, {@link #setCommRaw}) write exactly what they say and nothing else; apply them once
 * the list is complete, because {@link #add} links new tasks by its own record of the list order.
 * Not thread-safe.
 */
public final class TaskListBuilder {

    /** Length of {@code task_struct.comm} in Linux ({@code TASK_COMM_LEN}). */
    public static final int TASK_COMM_LEN = 16;

    private static final int ALIGNMENT_BYTES = 64;

    private final PageTableBuilder tables;
    private final TaskOffsets offsets;
    private final long strideBytes;
    private final List<Task> tasks = new ArrayList<>();
    private long nextTaskVa;

    /**
     * One fake {@code task_struct} as written (later corruption is not reflected here).
     *
     * @param address      virtual address of the struct
     * @param tasksAddress virtual address of its {@code tasks} member (what list pointers hold)
     * @param pid          {@code pid}
     * @param tgid         {@code tgid}
     * @param comm         the name as passed to {@link #add}, before truncation to 15 bytes
     */
    public record Task(long address, long tasksAddress, int pid, int tgid, String comm) {
    }

    /**
     * @param firstTaskVa kernel virtual address of the first struct (64-byte aligned); the range
     *                    after it must be free in {@code tables}
     */
    public TaskListBuilder(PageTableBuilder tables, TaskOffsets offsets, long firstTaskVa) {
        if (firstTaskVa % ALIGNMENT_BYTES != 0) {
            throw new IllegalArgumentException("first task address is not 64-byte aligned");
        }
        this.tables = tables;
        this.offsets = offsets;
        this.strideBytes = (offsets.sizeBytes() + ALIGNMENT_BYTES - 1) / ALIGNMENT_BYTES * ALIGNMENT_BYTES;
        this.nextTaskVa = firstTaskVa;
    }

    /** The member offsets this builder writes with. */
    public TaskOffsets offsets() {
        return offsets;
    }

    /** Appends a task (a thread group leader: {@code tgid == pid}). */
    public Task add(int pid, String comm) {
        return add(pid, pid, comm);
    }

    /**
     * Writes a new struct and links it at the tail of the list (before the head, as the kernel's
     * {@code list_add_tail}).
     */
    public Task add(int pid, int tgid, String comm) {
        long address = nextTaskVa;
        nextTaskVa += strideBytes;
        tables.mapFresh(address, offsets.sizeBytes());
        Task task = new Task(address, address + offsets.tasks(), pid, tgid, comm);
        tables.writeVirtualU32(address + offsets.pid(), pid);
        tables.writeVirtualU32(address + offsets.tgid(), tgid);
        tables.writeVirtual(address + offsets.comm(), commBytes(comm));
        if (tasks.isEmpty()) {
            writeLinks(task, task, task);
            tables.writeVirtualU64(address + offsets.realParent(), address);
        } else {
            Task head = tasks.get(0);
            Task last = tasks.get(tasks.size() - 1);
            writeLinks(task, head, last);
            tables.writeVirtualU64(last.tasksAddress(), task.tasksAddress());
            tables.writeVirtualU64(head.tasksAddress() + 8, task.tasksAddress());
            tables.writeVirtualU64(address + offsets.realParent(), head.address());
        }
        tasks.add(task);
        return task;
    }

    /** Appends {@code count} tasks with pids {@code firstPid, firstPid + 1, …} named {@code "task-<pid>"}. */
    public List<Task> addMany(int count, int firstPid) {
        List<Task> added = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int pid = firstPid + i;
            added.add(add(pid, "task-" + pid));
        }
        return added;
    }

    /** The list head (the first task added). */
    public Task head() {
        if (tasks.isEmpty()) {
            throw new IllegalStateException("no task added yet");
        }
        return tasks.get(0);
    }

    /** Every task added, in list order. */
    public List<Task> tasks() {
        return List.copyOf(tasks);
    }

    /** Sets {@code child->real_parent}. */
    public void setRealParent(Task child, Task parent) {
        tables.writeVirtualU64(child.address() + offsets.realParent(), parent.address());
    }

    /** Sets {@code task->mm} (0 for a kernel thread). */
    public void setMm(Task task, long mm) {
        tables.writeVirtualU64(task.address() + offsets.mm(), mm);
    }

    /** Sets {@code task->cred}. */
    public void setCred(Task task, long cred) {
        tables.writeVirtualU64(task.address() + offsets.cred(), cred);
    }

    /**
     * Overwrites {@code comm} with up to {@link #TASK_COMM_LEN} raw bytes, adding no terminator: pass
     * 16 non-zero bytes for a name without NUL.
     */
    public void setCommRaw(Task task, byte[] comm) {
        if (comm.length > TASK_COMM_LEN) {
            throw new IllegalArgumentException("comm holds " + TASK_COMM_LEN + " bytes, not " + comm.length);
        }
        tables.writeVirtual(task.address() + offsets.comm(), comm);
    }

    /**
     * Points {@code from->tasks.next} at {@code to}'s {@code tasks} member, leaving every other
     * pointer alone: with {@code to} earlier in the list this makes a cycle that never returns to
     * the head.
     */
    public void setNext(Task from, Task to) {
        setNextRaw(from, to.tasksAddress());
    }

    /** Sets {@code from->tasks.next} to any value: a wild, unmapped or non-canonical pointer. */
    public void setNextRaw(Task from, long pointer) {
        tables.writeVirtualU64(from.tasksAddress(), pointer);
    }

    /** Sets {@code task->tasks.prev} to any value. */
    public void setPrevRaw(Task task, long pointer) {
        tables.writeVirtualU64(task.tasksAddress() + 8, pointer);
    }

    /**
     * Unlinks {@code task} as a rootkit hiding it would (DKOM): its neighbours point past it while
     * its own {@code next}/{@code prev} still point at them. Uses this builder's record of the
     * order, so unlink at most one of two adjacent tasks.
     */
    public void unlink(Task task) {
        int index = tasks.indexOf(task);
        if (index < 0) {
            throw new IllegalArgumentException("not a task of this list: " + task);
        }
        if (tasks.size() < 2) {
            throw new IllegalStateException("a list of one task cannot hide it");
        }
        Task previous = tasks.get(Math.floorMod(index - 1, tasks.size()));
        Task next = tasks.get((index + 1) % tasks.size());
        tables.writeVirtualU64(previous.tasksAddress(), next.tasksAddress());
        tables.writeVirtualU64(next.tasksAddress() + 8, previous.tasksAddress());
    }

    private void writeLinks(Task task, Task next, Task previous) {
        tables.writeVirtualU64(task.tasksAddress(), next.tasksAddress());
        tables.writeVirtualU64(task.tasksAddress() + 8, previous.tasksAddress());
    }

    /** The kernel keeps at most 15 bytes of a name and pads {@code comm} with NULs. */
    private static byte[] commBytes(String comm) {
        byte[] utf8 = comm.getBytes(StandardCharsets.UTF_8);
        byte[] field = new byte[TASK_COMM_LEN];
        System.arraycopy(utf8, 0, field, 0, Math.min(utf8.length, TASK_COMM_LEN - 1));
        return field;
    }
}
