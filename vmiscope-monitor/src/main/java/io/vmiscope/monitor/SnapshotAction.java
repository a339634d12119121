package io.vmiscope.monitor;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.AnomalyEvent;
import io.vmiscope.events.ModuleSnapshotEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.ProcessSnapshotEvent;
import io.vmiscope.linux.module.ModuleInfo;
import io.vmiscope.linux.task.ProcessInfo;
import io.vmiscope.linux.walk.Anomaly;
import io.vmiscope.linux.walk.WalkResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A periodic snapshot of the process list or the kernel module list, reporting every snapshot with
 * what appeared and disappeared since the previous one, and the walk's anomalies as events. Paused
 * (the default), the VM is stopped for the whole walk and every snapshot is consistent; unpaused
 * (process lists only), the VM runs between the walk's steps: shorter stops, a view the kernel may
 * change mid-walk.
 */
public final class SnapshotAction implements Action {

    /** What to snapshot. */
    public enum Kind {
        PROCESSES, MODULES
    }

    private final Kind kind;
    private final Duration period;
    private final boolean paused;
    private final String id;
    private Set<Integer> previousPids;
    private Set<String> previousModules;

    public SnapshotAction(Kind kind, Duration period) {
        this(kind, period, true);
    }

    /** @throws IllegalArgumentException for an unpaused module snapshot (not supported) */
    public SnapshotAction(Kind kind, Duration period, boolean paused) {
        if (!paused && kind == Kind.MODULES) {
            throw new IllegalArgumentException("module snapshots are always paused (the module list is short)");
        }
        this.kind = kind;
        this.period = period;
        this.paused = paused;
        this.id = (kind == Kind.PROCESSES ? new ActionSpec.ProcessList(period, paused)
                : new ActionSpec.ModuleList(period)).toString();
    }

    @Override
    public String id() {
        return id;
    }


    @Override
    public Optional<Periodic> periodic() {
        return Optional.of(new Periodic(period, paused, this::snapshot));
    }

    private void snapshot(Tick tick) {
        if (kind == Kind.PROCESSES) {
            processes(tick);
        } else {
            modules(tick);
        }
    }

    private void processes(Tick tick) {
        WalkResult<ProcessInfo> result = tick.linux().processes(tick.pacer());
        Set<Integer> pids = result.items().stream().map(ProcessInfo::tgid).collect(Collectors.toCollection(TreeSet::new));
        List<ProcessSnapshotEvent.Entry> entries = result.items().stream().map(p -> new ProcessSnapshotEvent.Entry(
                p.tgid(), p.pid(), p.ppid(), p.uid(), p.gid(), p.comm(), p.argv(), p.state(), p.kernelThread(),
                p.startTimeNanos())).toList();
        tick.emit(new ProcessSnapshotEvent(tick.timeNanos(), tick.vm(), id, ProcessRef.NONE, entries,
                difference(pids, previousPids), difference(previousPids, pids), result.isComplete(), tick.paused()));
        anomalies(tick, result);
        previousPids = pids;
    }

    private void modules(Tick tick) {
        WalkResult<ModuleInfo> result = tick.linux().modules();
        Set<String> names = result.items().stream().map(ModuleInfo::name).collect(Collectors.toCollection(TreeSet::new));
        List<ModuleSnapshotEvent.Entry> entries = result.items().stream().map(m -> new ModuleSnapshotEvent.Entry(
                m.name(), m.state().name(), m.base().value(), m.sizeBytes())).toList();
        tick.emit(new ModuleSnapshotEvent(tick.timeNanos(), tick.vm(), id, ProcessRef.NONE, entries,
                difference(names, previousModules), difference(previousModules, names), result.isComplete()));
        anomalies(tick, result);
        previousModules = names;
    }

    private void anomalies(Tick tick, WalkResult<?> result) {
        for (Anomaly a : result.anomalies()) {
            tick.emit(new AnomalyEvent(tick.timeNanos(), tick.vm(), id, ProcessRef.NONE, a.kind().name(), a.where(),
                    a.detail()));
        }
    }

    /** {@code a} minus {@code b}, in order; a missing {@code b} (first snapshot) removes nothing. */
    private static <T extends Comparable<T>> List<T> difference(Set<T> a, Set<T> b) {
        if (a == null) {
            return List.of();
        }
        List<T> out = new ArrayList<>(a);
        if (b != null) {
            out.removeAll(b);
        }
        return out;
    }
}
