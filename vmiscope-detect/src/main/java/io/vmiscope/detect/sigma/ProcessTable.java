package io.vmiscope.detect.sigma;

import io.vmiscope.detect.ImagePaths;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.ForkEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.ProcessSnapshotEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one VM's processes run, as far as its events tell: per pid the program's image and command line and its
 * parent's, which Sigma's {@code Image}/{@code ParentImage}/{@code ParentCommandLine} need. Learned from forks
 * (a child runs its parent's program until it execs), execs and process snapshots; forgotten at exit. Bounded:
 * at most {@code capacity} processes, the least recently seen forgotten first. Not thread-safe.
 */
final class ProcessTable {

    /** A process's program, its parent's and its grandparent's; {@code null} where unknown. */
    record Info(String image, String commandLine, String parentImage, String parentCommandLine,
                String grandParentImage) {
    }

    private final Map<Integer, Info> byPid;

    ProcessTable(int capacity) {
        this.byPid = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Info> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The process's entry, or {@code null}. */
    Info get(int pid) {
        return byPid.get(pid);
    }

    int size() {
        return byPid.size();
    }

    /** A new process runs its parent's program; its parent is the forking process. */
    void fork(ForkEvent fork) {
        if (fork.thread()) {
            return;
        }
        ProcessRef parent = fork.process();
        Info p = byPid.get(parent.pid());
        String image = p != null && p.image() != null ? p.image() : parent.name();
        String commandLine = p == null ? null : p.commandLine();
        byPid.put(fork.childPid(), new Info(image, commandLine, image, commandLine, p == null ? null : p.parentImage()));
    }

    /**
     * The process now runs a new program: its parent stays what the fork (or, unknown that, the entry of its
     * ppid) said.
     *
     * @return the process's entry after the exec
     */
    Info exec(ExecEvent exec, String image, String commandLine) {
        ProcessRef self = exec.process();
        Info known = byPid.get(self.pid());
        String parentImage;
        String parentCommandLine;
        String grandParentImage;
        if (known != null) {
            parentImage = known.parentImage();
            parentCommandLine = known.parentCommandLine();
            grandParentImage = known.grandParentImage();
        } else {
            Info parent = self.ppid() >= 0 ? byPid.get(self.ppid()) : null;
            parentImage = parent == null ? null : parent.image();
            parentCommandLine = parent == null ? null : parent.commandLine();
            grandParentImage = parent == null ? null : parent.parentImage();
        }
        Info now = new Info(image, commandLine, parentImage, parentCommandLine, grandParentImage);
        byPid.put(self.pid(), now);
        return now;
    }

    /** Processes of a snapshot that the table does not know yet get their argv's program. */
    void snapshot(ProcessSnapshotEvent snapshot) {
        for (ProcessSnapshotEvent.Entry e : snapshot.processes()) {
            if (e.kernelThread() || byPid.containsKey(e.pid())) {
                continue;
            }
            List<String> argv = e.argv();
            String image = argv.isEmpty() || argv.get(0).isEmpty() ? e.name()
                    : ImagePaths.image(argv.get(0), argv, null);
            Info parent = byPid.get(e.ppid());
            byPid.put(e.pid(), new Info(image, argv.isEmpty() ? null : ImagePaths.commandLine(argv.get(0), argv),
                    parent == null ? null : parent.image(), parent == null ? null : parent.commandLine(),
                    parent == null ? null : parent.parentImage()));
        }
    }

    void exit(int pid) {
        byPid.remove(pid);
    }
}
