package io.vmiscope.cli;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.Gpa;
import io.vmiscope.api.Gva;
import io.vmiscope.gdb.GdbDriver;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.linux.module.ModuleInfo;
import io.vmiscope.linux.task.ProcessInfo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Test tooling only, never part of a monitoring run: changes a live guest's kernel memory through the gdbstub's
 * {@code M} packets exactly as a DKOM rootkit would — unlinks a task from the task list (it stays scheduled),
 * unlinks a module from the module list, points a {@code sys_call_table} slot at another kernel function, sets a
 * task's credentials to root. Each manipulation is undone by closing it, so the guest keeps running and later
 * tests see a clean kernel: an overwritten value gets its original bytes back; an unlinked node is linked again at
 * the list's tail, since the kernel goes on adding and removing its neighbours while it is hidden (writing their
 * old pointers back would corrupt the list). Call it with no monitor running on the connection; each method
 * pauses the VM for its writes and resumes it.
 */
final class SimulatedRootkit {

    private final GdbDriver driver;
    private final LinuxGuest linux;

    SimulatedRootkit(GdbDriver driver, LinuxGuest linux) {
        this.driver = driver;
        this.linux = linux;
    }

    /** What closing undoes: written bytes restored (last write first), or a relink. */
    final class Manipulation implements AutoCloseable {
        private final List<Gva> places = new ArrayList<>();
        private final List<byte[]> originals = new ArrayList<>();
        private Runnable relink;
        private boolean undone;

        private void write(Gva where, byte[] bytes) {
            places.add(where);
            originals.add(linux.memory().read(AccessContext.kernel(where), bytes.length));
            driver.write(physical(where), bytes);
        }

        private void writeU64(Gva where, long value) {
            write(where, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
        }

        @Override
        public void close() {
            if (undone) {
                return;
            }
            undone = true;
            stopped(() -> {
                if (relink != null) {
                    relink.run();
                    return;
                }
                for (int i = places.size() - 1; i >= 0; i--) {
                    driver.write(physical(places.get(i)), originals.get(i));
                }
            });
        }
    }

    /** Unlinks the thread-group leader {@code pid} from {@code init_task.tasks}; the task keeps running. */
    Manipulation unlinkTask(int pid) {
        ProcessInfo task = linux.processes().items().stream().filter(p -> p.tgid() == pid).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no process " + pid));
        long tasks = linux.profile().offset("task_struct", "tasks");
        return unlink(task.task().value() + tasks, linux.address("init_task") + tasks);
    }

    /** Unlinks module {@code name} from the {@code modules} list. */
    Manipulation unlinkModule(String name) {
        ModuleInfo module = linux.modules().items().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no module " + name));
        return unlink(module.address().value() + linux.profile().offset("module", "list"), linux.address("modules"));
    }

    /** Points {@code sys_call_table[number]} at the kernel function {@code symbol}. */
    Manipulation redirectSyscall(int number, String symbol) {
        Manipulation m = new Manipulation();
        stopped(() -> m.writeU64(Gva.of(linux.address("sys_call_table") + 8L * number), linux.address(symbol)));
        return m;
    }

    /** Sets uid and euid of process {@code pid}'s credentials ({@code task->cred}) to 0. */
    Manipulation raiseCredentials(int pid) {
        ProcessInfo task = linux.processes().items().stream().filter(p -> p.tgid() == pid).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no process " + pid));
        Manipulation m = new Manipulation();
        stopped(() -> {
            long cred = linux.memory().readU64(AccessContext.kernel(task.task().plus(
                    linux.profile().offset("task_struct", "cred"))));
            m.write(Gva.of(cred + linux.profile().offset("cred", "uid")), new byte[4]);
            m.write(Gva.of(cred + linux.profile().offset("cred", "euid")), new byte[4]);
        });
        return m;
    }

    /**
     * {@code list_del} without poisoning: the neighbours skip the node, the node keeps its own pointers. Undone by
     * {@code list_add_tail} onto {@code head}.
     */
    private Manipulation unlink(long node, long head) {
        Manipulation m = new Manipulation();
        stopped(() -> {
            long next = readU64(node);
            long prev = readU64(node + 8);
            m.writeU64(Gva.of(prev), next);      // prev->next = next
            m.writeU64(Gva.of(next + 8), prev);  // next->prev = prev
        });
        m.relink = () -> {
            long tail = readU64(head + 8);
            m.writeU64(Gva.of(node), head);      // node->next = head
            m.writeU64(Gva.of(node + 8), tail);  // node->prev = head->prev
            m.writeU64(Gva.of(tail), node);      // tail->next = node
            m.writeU64(Gva.of(head + 8), node);  // head->prev = node
        };
        return m;
    }

    private long readU64(long address) {
        return linux.memory().readU64(AccessContext.kernel(Gva.of(address)));
    }

    private Gpa physical(Gva where) {
        return linux.memory().translate(AccessContext.kernel(where)).gpa();
    }

    /** Runs {@code writes} with the VM paused and fresh translations, then resumes it if it ran. */
    private void stopped(Runnable writes) {
        boolean wasRunning = !driver.isPaused();
        if (wasRunning) {
            driver.pause();
        }
        try {
            linux.invalidateCaches();
            writes.run();
        } finally {
            if (wasRunning) {
                driver.resume();
            }
        }
    }
}
