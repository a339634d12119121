package io.vmiscope.monitor;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.ProcessFilter;
import io.vmiscope.events.FileEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.linux.syscall.DecodedArg;
import io.vmiscope.linux.task.OpenFiles;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * File events: opens and creations, unlinks, renames, permission and owner changes, directory and
 * link creation, truncation — from the entries of the syscalls that do them. Paths are as the process
 * gave them (relative ones stay relative). With watched paths, writes ({@code write}, {@code pwrite64},
 * {@code writev}) to files under them are reported too: the written file's path comes from the
 * writer's file table in kernel memory, so every write in the guest stops it — watch only when needed.
 */
public final class FileEventsAction implements Action {

    /**
     * What each syscall does: operation, and the argument indexes of its path and second path (-1: none).
     */
    private record Shape(String operation, int path, int target) {
    }

    private static final Map<String, Shape> SHAPES = Map.ofEntries(
            Map.entry("open", new Shape("open", 0, -1)), Map.entry("openat", new Shape("open", 1, -1)),
            Map.entry("openat2", new Shape("open", 1, -1)), Map.entry("creat", new Shape("create", 0, -1)),
            Map.entry("unlink", new Shape("unlink", 0, -1)), Map.entry("unlinkat", new Shape("unlink", 1, -1)),
            Map.entry("rename", new Shape("rename", 0, 1)), Map.entry("renameat", new Shape("rename", 1, 3)),
            Map.entry("renameat2", new Shape("rename", 1, 3)), Map.entry("chmod", new Shape("chmod", 0, -1)),
            Map.entry("fchmodat", new Shape("chmod", 1, -1)), Map.entry("chown", new Shape("chown", 0, -1)),
            Map.entry("lchown", new Shape("chown", 0, -1)), Map.entry("fchownat", new Shape("chown", 1, -1)),
            Map.entry("mkdir", new Shape("mkdir", 0, -1)), Map.entry("mkdirat", new Shape("mkdir", 1, -1)),
            Map.entry("rmdir", new Shape("rmdir", 0, -1)), Map.entry("link", new Shape("link", 1, 0)),
            Map.entry("linkat", new Shape("link", 3, 1)), Map.entry("symlink", new Shape("symlink", 1, 0)),
            Map.entry("symlinkat", new Shape("symlink", 2, 0)), Map.entry("truncate", new Shape("truncate", 0, -1)));

    private static final Set<String> DETAIL_TYPES = Set.of("OPEN_FLAGS", "MODE", "AT_FLAGS");

    private static final Set<String> WRITES = Set.of("write", "pwrite64", "writev");

    private final String id;
    private final ProcessFilter filter;
    private final SyscallEntries entries;
    private final List<Hook> hooks;
    private final List<String> watched;
    private final OpenFiles openFiles;

    public FileEventsAction(LinuxGuest linux, ProcessFilter filter) {
        this(linux, filter, List.of());
    }

    /** @param watchedPaths path prefixes whose writes are reported, e.g. {@code /etc}; empty: none */
    public FileEventsAction(LinuxGuest linux, ProcessFilter filter, List<String> watchedPaths) {
        this.watched = List.copyOf(watchedPaths);
        this.id = new ActionSpec.FileEvents(filter, watched).toString();
        this.filter = filter;
        this.entries = new SyscallEntries(linux);
        this.openFiles = new OpenFiles(linux.memory(), linux.profile());
        Set<String> present = SHAPES.keySet().stream().filter(n -> entries.table().find(n).isPresent())
                .collect(Collectors.toSet());
        List<Hook> all = new ArrayList<>(entries.hooks(present, this::onEntry));
        if (!watched.isEmpty()) {
            all.addAll(entries.hooks(WRITES, this::onWrite));
        }
        this.hooks = List.copyOf(all);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<Hook> hooks() {
        return hooks;
    }


    /** {@code write(fd, buf, count)}: reported when the file is under a watched path. */
    private void onWrite(Hit hit, SyscallEntries.Call call) {
        ProcessRef process = hit.process();
        if (!filter.matches(process) || hit.currentTask().isEmpty()) {
            return;
        }
        String path = openFiles.path(hit.currentTask().get().task(), (int) call.args()[0]);
        if (watched.stream().noneMatch(w -> path.equals(w) || path.startsWith(w.endsWith("/") ? w : w + "/"))) {
            return;
        }
        hit.emit(new FileEvent(hit.timeNanos(), hit.vm(), id, process, "write", path, null,
                (call.name().equals("writev") ? "iovcnt=" : "count=") + call.args()[2], call.name()));
    }

    private void onEntry(Hit hit, SyscallEntries.Call call) {
        ProcessRef process = hit.process();
        if (!filter.matches(process)) {
            return;
        }
        Shape shape = SHAPES.get(call.name());
        List<DecodedArg> args = entries.decode(hit, call);
        String detail = args.stream().filter(a -> DETAIL_TYPES.contains(a.type())).map(DecodedArg::text)
                .collect(Collectors.joining(" "));
        String operation = shape.operation().equals("open") && detail.contains("O_CREAT") ? "create"
                : shape.operation().equals("unlink") && detail.contains("AT_REMOVEDIR") ? "rmdir" : shape.operation();
        hit.emit(new FileEvent(hit.timeNanos(), hit.vm(), id, process, operation, args.get(shape.path()).value(),
                shape.target() < 0 ? null : args.get(shape.target()).value(), detail, call.name()));
    }
}
