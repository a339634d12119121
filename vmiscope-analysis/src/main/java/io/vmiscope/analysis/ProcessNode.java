package io.vmiscope.analysis;

import java.util.List;

/**
 * One process in a {@link ProcessTree}. Names, images and command lines are guest-controlled text: render
 * them only as text.
 *
 * @param key          the process (vm, pid, start)
 * @param ppid         the parent's pid as the creation event or snapshot gave it, -1 when unknown
 * @param parent       the parent process when it is in the same tree, else {@code null} (then this is a root)
 * @param name         the image's base name after the newest exec, else the task name (its base name when the
 *                     task name is a path, as DRAKVUF's NT paths of Windows processes are)
 * @param image        the path of the newest exec, else the task name when that is a path, or {@code null}
 * @param commandLine  the arguments of the newest exec (or the snapshot's argv) joined by spaces, or empty
 * @param uid          the real uid, -1 when unknown
 * @param startNanos   when it was created, or first seen when {@link Lifetime#startSeen()} is false
 * @param endNanos     when it ended (exit, or the first complete snapshot without it), {@code null} while running
 * @param endReason    {@code exit}, {@code disappeared} (from a snapshot), {@code replaced} (its pid was given to a
 *                     new process), or {@code null}
 * @param exitCode     the exit code when it ended by an exit event, else {@code null}
 * @param lifetime     how much of its life monitoring saw
 * @param kernelThread true when a snapshot marked it as a kernel thread
 * @param origin       what started its record: {@code snapshot}, {@code fork}, {@code exec} or {@code activity}
 * @param events       stored events attributed to it (all kinds, whole lifetime)
 * @param depth        0 for a root, else the parent's depth + 1
 * @param children     the processes in the same tree whose parent it is, by start time
 */
public record ProcessNode(ProcessKey key, int ppid, ProcessKey parent, String name, String image, String commandLine,
                          long uid, long startNanos, Long endNanos, String endReason, Integer exitCode,
                          Lifetime lifetime, boolean kernelThread, String origin, long events, int depth,
                          List<ProcessKey> children) {

    public ProcessNode {
        children = List.copyOf(children);
    }

    /** The pid. */
    public int pid() {
        return key.pid();
    }

    /** Whether it was alive at {@code nanos} (start and end inclusive). */
    public boolean aliveAt(long nanos) {
        return startNanos <= nanos && (endNanos == null || nanos <= endNanos);
    }
}
