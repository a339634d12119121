package io.vmiscope.store.imports;

import io.vmiscope.events.AnomalyEvent;
import io.vmiscope.events.ControlEvent;
import io.vmiscope.events.Event;
import io.vmiscope.events.EventJson;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.ExitEvent;
import io.vmiscope.events.FileEvent;
import io.vmiscope.events.ForkEvent;
import io.vmiscope.events.ImportedEvent;
import io.vmiscope.events.ModuleSnapshotEvent;
import io.vmiscope.events.NetworkEvent;
import io.vmiscope.events.ProcessSnapshotEvent;
import io.vmiscope.events.SyscallEvent;

import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Reads vmiscope's own JSON lines (docs/events.md, {@code vmiscope monitor --out}) back into events with
 * {@link EventJson#parse(String)}. Each event is attributed to the {@code vm} given to {@link #read}; the
 * name the line carried stays in the raw record. Blank lines are skipped; lines longer than
 * {@link ImportLimits#maxLineChars()} and lines {@code EventJson.parse} refuses are rejected with their
 * number. Immutable and thread-safe; each stream is single-threaded.
 */
public final class VmiscopeJsonlReader implements LogReader {

    private final ImportLimits limits;

    /** A reader with {@link ImportLimits#DEFAULTS}. */
    public VmiscopeJsonlReader() {
        this(ImportLimits.DEFAULTS);
    }

    public VmiscopeJsonlReader(ImportLimits limits) {
        this.limits = limits;
    }

    @Override
    public Stream<ImportItem> read(Path file, String vm) {
        String name = file.toString();
        LineSource lines = new LineSource(file, limits.maxLineChars());
        return ItemStreams.of(out -> {
            LineSource.Line line = lines.next();
            if (line == null) {
                return false;
            }
            if (line.tooLong()) {
                out.add(new ImportItem.Rejected(name, line.number(), "line longer than " + limits.maxLineChars()
                        + " characters (" + line.lengthChars() + ")"));
            } else if (!line.blank()) {
                try {
                    Event event = withVm(EventJson.parse(line.text()), vm);
                    out.add(new ImportItem.Parsed(event, name, line.number(), line.text()));
                } catch (IllegalArgumentException e) {
                    out.add(new ImportItem.Rejected(name, line.number(), RecordException.oneLine(e.getMessage())));
                }
            }
            return true;
        }, lines);
    }

    /** The same event, attributed to {@code vm}. */
    private static Event withVm(Event e, String vm) {
        if (e instanceof SyscallEvent s) {
            return new SyscallEvent(s.timeNanos(), vm, s.action(), s.process(), s.name(), s.number(), s.arguments(),
                    s.result(), s.abi());
        } else if (e instanceof ExecEvent x) {
            return new ExecEvent(x.timeNanos(), vm, x.action(), x.process(), x.path(), x.argv(), x.argvComplete());
        } else if (e instanceof ForkEvent f) {
            return new ForkEvent(f.timeNanos(), vm, f.action(), f.process(), f.childPid(), f.childTid(), f.thread());
        } else if (e instanceof ExitEvent x) {
            return new ExitEvent(x.timeNanos(), vm, x.action(), x.process(), x.exitCode(), x.signal(), x.thread());
        } else if (e instanceof FileEvent f) {
            return new FileEvent(f.timeNanos(), vm, f.action(), f.process(), f.operation(), f.path(), f.target(),
                    f.detail(), f.syscall());
        } else if (e instanceof NetworkEvent n) {
            return new NetworkEvent(n.timeNanos(), vm, n.action(), n.process(), n.operation(), n.address(),
                    n.fd(), n.syscall());
        } else if (e instanceof ProcessSnapshotEvent p) {
            return new ProcessSnapshotEvent(p.timeNanos(), vm, p.action(), p.process(), p.processes(),
                    p.appeared(), p.disappeared(), p.complete(), p.paused());
        } else if (e instanceof ModuleSnapshotEvent m) {
            return new ModuleSnapshotEvent(m.timeNanos(), vm, m.action(), m.process(), m.modules(), m.appeared(),
                    m.disappeared(), m.complete());
        } else if (e instanceof AnomalyEvent a) {
            return new AnomalyEvent(a.timeNanos(), vm, a.action(), a.process(), a.anomaly(), a.where(), a.detail());
        } else if (e instanceof ControlEvent c) {
            return new ControlEvent(c.timeNanos(), vm, c.action(), c.process(), c.change(), c.reason());
        } else if (e instanceof ImportedEvent i) {
            return new ImportedEvent(i.timeNanos(), vm, i.action(), i.process(), i.tool(), i.source(), i.method(),
                    i.attributes());
        }
        throw new IllegalStateException("an event kind without a copy rule: " + e.kind());
    }
}
