package io.vmiscope.cli.bench;

import io.vmiscope.events.Event;
import io.vmiscope.events.EventSink;
import io.vmiscope.events.ExecEvent;
import io.vmiscope.events.ExitEvent;
import io.vmiscope.events.FileEvent;
import io.vmiscope.events.ForkEvent;
import io.vmiscope.events.ImportedEvent;
import io.vmiscope.events.NetworkEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.events.ProcessSnapshotEvent;
import io.vmiscope.events.SyscallArgument;
import io.vmiscope.events.SyscallEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands a {@link StoreWorkload}'s records to an {@link EventSink} as the events {@code vmiscope import
 * drakvuf} makes of the same DRAKVUF records (actions {@code drakvuf:<plugin>}; a creation is a fork and an
 * exec, a termination an exit, the start-up list one process snapshot, regmon records imported events),
 * without writing or parsing any JSON: the fastest way to fill a store for the query benchmark. Stops at
 * exactly the number of events asked for. Not thread-safe.
 */
public final class StoreEventFeed implements StoreWorkload.Trace {

    private static final String TOOL = "drakvuf";

    private final EventSink sink;
    private final String vm;
    private final long maxEvents;
    private final List<ProcessSnapshotEvent.Entry> startup = new ArrayList<>();
    private long startupNanos;
    private long events;

    private StoreEventFeed(EventSink sink, String vm, long maxEvents) {
        this.sink = sink;
        this.vm = vm;
        this.maxEvents = maxEvents;
    }

    /**
     * Hands {@code events} events of the workload seeded with {@code seed} to {@code sink}, attributed to
     * {@code vm}, reporting to {@code progress}.
     *
     * @return the workload, for its counts of processes
     */
    public static StoreWorkload feed(EventSink sink, String vm, long events, long seed, StoreProgress progress) {
        StoreWorkload workload = new StoreWorkload(seed);
        StoreEventFeed feed = new StoreEventFeed(sink, vm, events);
        while (feed.events < events) {
            workload.step(feed);
            progress.update(feed.events);
        }
        return workload;
    }

    @Override
    public void runningProcess(long timeNanos, StoreWorkload.Proc p) {
        startupNanos = timeNanos;
        startup.add(new ProcessSnapshotEvent.Entry(p.pid(), -1, p.ppid(), -1, -1, p.baseName(), List.of(), '?',
                false, 0));
    }

    @Override
    public void endOfStartupList() {
        List<Integer> pids = startup.stream().map(ProcessSnapshotEvent.Entry::pid).toList();
        emit(new ProcessSnapshotEvent(startupNanos, vm, action("procmon"), ProcessRef.NONE, startup, pids, List.of(),
                true, false));
    }

    @Override
    public void syscall(long timeNanos, StoreWorkload.Proc p, int tid, int vcpu, StoreWorkload.Syscall call,
                        String[] values) {
        List<SyscallArgument> arguments = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            arguments.add(new SyscallArgument(call.arguments()[i], "raw", 0, values[i], false, false));
        }
        emit(new SyscallEvent(timeNanos, vm, action("syscall"), self(p, tid), call.name(), call.number(), arguments,
                null));
    }

    @Override
    public void sysret(long timeNanos, StoreWorkload.Proc p, int tid, int vcpu, StoreWorkload.Syscall call,
                       long status) {
        emit(new SyscallEvent(timeNanos, vm, action("sysret"), self(p, tid), call.name(), call.number(), List.of(),
                "0x" + Long.toHexString(status)));
    }

    @Override
    public void created(long timeNanos, StoreWorkload.Proc creator, int tid, StoreWorkload.Proc child) {
        ProcessRef parent = self(creator, tid);
        emit(new ForkEvent(timeNanos, vm, action("procmon"), parent, child.pid(), child.tids()[0], false));
        emit(new ExecEvent(timeNanos, vm, action("procmon"), new ProcessRef(child.pid(), child.tids()[0],
                creator.pid(), creator.sessionId(), child.baseName()), child.image(), List.of(child.commandLine()),
                true));
    }

    @Override
    public void terminated(long timeNanos, StoreWorkload.Proc caller, int tid, StoreWorkload.Proc ended,
                           long status) {
        ProcessRef process = ended == caller ? self(caller, tid) : new ProcessRef(ended.pid(), -1, -1, -1, "");
        emit(new ExitEvent(timeNanos, vm, action("procmon"), process, (int) status, 0, false));
    }

    @Override
    public void file(long timeNanos, StoreWorkload.Proc p, int tid, StoreWorkload.Syscall call, String operation,
                     String fileName, String handle) {
        emit(new FileEvent(timeNanos, vm, action("filetracer"), self(p, tid), operation, fileName, null, "",
                call.name()));
    }

    @Override
    public void registry(long timeNanos, StoreWorkload.Proc p, int tid, StoreWorkload.Syscall call, String key,
                         String valueName, String value) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("Plugin", "regmon");
        attributes.put("PID", p.pid());
        attributes.put("PPID", p.ppid());
        attributes.put("TID", tid);
        attributes.put("UserId", p.sessionId());
        attributes.put("ProcessName", p.processName());
        attributes.put("Method", call.name());
        attributes.put("Key", key);
        attributes.put("ValueName", valueName);
        attributes.put("Value", value);
        emit(new ImportedEvent(timeNanos, vm, action("regmon"), self(p, tid), TOOL, "regmon", call.name(),
                attributes));
    }

    @Override
    public void network(long timeNanos, StoreWorkload.Proc p, int tid, String method, String protocol,
                        String localIp, int localPort, String remoteIp, int remotePort, String dnsName) {
        String address = dnsName != null ? dnsName : remoteIp + ":" + remotePort;
        emit(new NetworkEvent(timeNanos, vm, action("socketmon"), self(p, tid), dnsName != null ? "dns" : method,
                address, -1, method));
    }

    private static String action(String plugin) {
        return TOOL + ":" + plugin;
    }

    private static ProcessRef self(StoreWorkload.Proc p, int tid) {
        return new ProcessRef(p.pid(), tid, p.ppid(), p.sessionId(), p.processName());
    }

    private void emit(Event event) {
        if (events < maxEvents) {
            sink.accept(event);
            events++;
        }
    }
}
