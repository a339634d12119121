package io.vmiscope.linux.task;

import io.vmiscope.api.Gva;

/**
 * Who a task is, as events report it.
 *
 * @param task its {@code task_struct}
 * @param pid  the task's own id (a thread id, for threads)
 * @param tgid the thread-group id (what user space calls the pid)
 * @param ppid {@code real_parent->tgid}, or -1 when unreadable
 * @param uid  the real uid, or -1 when unreadable
 * @param comm the task name (guest text, decoded safely)
 */
public record TaskIdentity(Gva task, int pid, int tgid, int ppid, long uid, String comm) {
}
