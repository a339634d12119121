package io.vmiscope.analysis;

import io.vmiscope.events.ProcessRef;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The process-lifetime state machine: fed the lifecycle events of one VM in time order (and the
 * "activity births" found by {@link Derivation}), it keeps which process holds each pid and ends up with
 * every process's lifetime. A pid seen again after its process ended is a new process.
 *
 * <pre>
 *   snapshot  first snapshot: unknown pids → running before monitoring; later ones → started (appeared)
 *             complete snapshot: alive pids missing from it end ("disappeared"), except pid 0 (never listed)
 *             and processes with activity after the snapshot (a process hidden from the list stays alive)
 *   fork      (not a thread) child pid → new process, parent = the forking pid; a child pid still alive is
 *             "replaced" first
 *   exec      pid alive → new image; else a new process, parent = the exec's ppid
 *   exit      (not a thread) ends the pid's process
 *   birth     pid not alive → a process first seen through its activity (running before monitoring)
 * </pre>
 *
 * Not thread-safe; one instance per derivation.
 */
final class Lifetimes {

    /** A process first seen through events of its pid that no lifetime covered. */
    record Birth(int pid, long firstNanos, long lastNanos, int ppid, long uid, String name) {
    }

    /** One entry of a process-list snapshot. */
    record Entry(int pid, int ppid, long uid, String name, String commandLine, boolean kernelThread) {
    }

    /** One process's lifetime as it is being derived. */
    static final class Proc {
        final int pid;
        final long startNanos;
        final String origin;
        final boolean startSeen;
        int ppid;
        long uid;
        String name;
        String image;
        String commandLine = "";
        boolean kernelThread;
        long lastActivityNanos;
        Long endNanos;
        String endReason;
        Integer exitCode;
        Proc parent;

        Proc(int pid, long startNanos, String origin, boolean startSeen, int ppid, long uid, String name) {
            this.pid = pid;
            this.startNanos = startNanos;
            this.origin = origin;
            this.startSeen = startSeen;
            this.ppid = ppid;
            this.uid = uid;
            this.name = "";
            name(name);
            this.lastActivityNanos = startNanos;
        }

        /**
         * Takes a name as a snapshot, a parent or an event gave it: a path (DRAKVUF names Windows processes by
         * their NT path) becomes its base name, the path the image when no exec gave one.
         */
        void name(String given) {
            name = ProcessNames.shown(given);
            if (image == null) {
                image = ProcessNames.pathOf(given);
            }
        }

        void end(long nanos, String reason) {
            endNanos = Math.max(nanos, startNanos);
            endReason = reason;
        }

        Lifetime lifetime() {
            return Lifetime.of(startSeen, endNanos != null);
        }
    }

    private final Map<Integer, Proc> alive = new HashMap<>();
    private final List<Proc> all = new ArrayList<>();
    private boolean snapshotSeen;

    void birth(Birth b) {
        if (b.pid() < 0) {
            return;
        }
        Proc p = alive.get(b.pid());
        if (p == null) {
            p = start(new Proc(b.pid(), b.firstNanos(), "activity", false, b.ppid(), b.uid(), b.name()));
        }
        p.lastActivityNanos = Math.max(p.lastActivityNanos, b.lastNanos());
    }

    void snapshot(long nanos, boolean complete, List<Entry> entries) {
        boolean first = !snapshotSeen;
        snapshotSeen = true;
        Set<Integer> listed = new HashSet<>();
        for (Entry e : entries) {
            if (e.pid() < 0 || !listed.add(e.pid())) {
                continue;
            }
            Proc p = alive.get(e.pid());
            if (p == null) {
                p = start(new Proc(e.pid(), nanos, "snapshot", !first, e.ppid(), e.uid(), e.name()));
                p.commandLine = e.commandLine();
            }
            if (p.ppid < 0) {
                p.ppid = e.ppid();
            }
            if (p.name.isEmpty()) {
                p.name(e.name());
            }
            p.kernelThread |= e.kernelThread();
        }
        if (!complete) {
            return;
        }
        List<Proc> gone = new ArrayList<>();
        for (Proc p : alive.values()) {
            if (p.pid != 0 && !listed.contains(p.pid) && p.lastActivityNanos < nanos) {
                gone.add(p);
            }
        }
        for (Proc p : gone) {
            p.end(nanos, "disappeared");
            alive.remove(p.pid);
        }
    }

    void fork(long nanos, int parentPid, String parentName, long uid, int childPid, boolean thread) {
        if (thread || childPid < 0) {
            return;
        }
        Proc old = alive.remove(childPid);
        if (old != null) {
            old.end(nanos - 1, "replaced");
        }
        start(new Proc(childPid, nanos, "fork", true, parentPid, uid, parentName));
    }

    void exec(long nanos, int pid, int ppid, long uid, String path, List<String> argv) {
        if (pid < 0) {
            return;
        }
        Proc p = alive.get(pid);
        if (p == null) {
            p = start(new Proc(pid, nanos, "exec", true, ppid, uid, ""));
        }
        p.image = path;
        // busybox and others re-exec themselves through /proc/self/exe: argv[0] names the program
        p.name = path.equals("/proc/self/exe") && !argv.isEmpty() ? ProcessRef.nameOf(argv.get(0)) : ProcessRef.nameOf(path);
        p.commandLine = String.join(" ", argv);
        if (uid >= 0) {
            p.uid = uid;
        }
        if (p.ppid < 0) {
            p.ppid = ppid;
        }
    }

    void exit(long nanos, int pid, int exitCode, boolean thread) {
        if (thread || pid < 0) {
            return;
        }
        Proc p = alive.remove(pid);
        if (p != null) {
            p.end(nanos, "exit");
            p.exitCode = exitCode;
        }
    }

    /**
     * Every process, by start then pid, each with its parent resolved: the process with the parent's pid
     * alive when it started. A ppid of 0 names no parent: on Linux that is the idle task, parent of init and
     * kthreadd; on Windows the Idle process, "parent" of System.
     */
    List<Proc> processes() {
        Map<Integer, List<Proc>> byPid = new HashMap<>();
        for (Proc p : all) {
            byPid.computeIfAbsent(p.pid, k -> new ArrayList<>()).add(p);
        }
        for (Proc p : all) {
            if (p.ppid <= 0 || p.ppid == p.pid) {
                continue;
            }
            Proc candidate = null;
            for (Proc q : byPid.getOrDefault(p.ppid, List.of())) {
                if (q.startNanos <= p.startNanos) {
                    candidate = q;
                }
            }
            if (candidate != null && (candidate.endNanos == null || candidate.endNanos >= p.startNanos)) {
                p.parent = candidate;
            }
        }
        List<Proc> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.<Proc>comparingLong(p -> p.startNanos).thenComparingInt(p -> p.pid));
        return sorted;
    }

    private Proc start(Proc p) {
        alive.put(p.pid, p);
        all.add(p);
        return p;
    }
}
