package io.vmiscope.linux.task;

import io.vmiscope.api.Gva;

import java.util.List;

/**
 * One process (thread-group leader) as seen from outside the guest.
 *
 * @param task           address of its {@code task_struct}
 * @param pid            {@code task_struct.pid}
 * @param tgid           {@code task_struct.tgid} (what user space calls the pid)
 * @param ppid           {@code real_parent->tgid}, as /proc reports PPid
 * @param comm           the 16-byte task name, decoded safely (guest-controlled text)
 * @param uid            real uid ({@code real_cred->uid}), or -1 when unreadable
 * @param gid            real gid, or -1 when unreadable
 * @param startTimeNanos {@code start_time}: monotonic nanoseconds since boot
 * @param state          the /proc state letter (R, S, D, T, t, Z, X, I, P)
 * @param kernelThread   true for kernel threads ({@code PF_KTHREAD})
 * @param argv           the command line from the process's own memory; empty for kernel threads
 *                       and processes without an address space
 * @param argvComplete   false when the command line was cut at the limit or could not be read
 */
public record ProcessInfo(Gva task, int pid, int tgid, int ppid, String comm, long uid, long gid,
                          long startTimeNanos, char state, boolean kernelThread, List<String> argv,
                          boolean argvComplete) {

    public ProcessInfo {
        argv = List.copyOf(argv);
    }

    /** The command line as {@code ps} shows it: argv joined by spaces, or {@code [comm]} without one. */
    public String commandLine() {
        return argv.isEmpty() ? "[" + comm + "]" : String.join(" ", argv);
    }
}
