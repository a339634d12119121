package io.vmiscope.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A process list read from kernel memory, with what changed since the previous one of the same action.
 *
 * @param processes   every process in the list
 * @param appeared    pids present now but not in the previous snapshot (all, for the first one)
 * @param disappeared pids of the previous snapshot that are gone
 * @param complete    false when the walk was cut short or saw anomalies (reported as {@link AnomalyEvent}s)
 * @param paused      whether the VM was paused for the whole walk
 */
public record ProcessSnapshotEvent(long timeNanos, String vm, String action, ProcessRef process,
                                   List<Entry> processes, List<Integer> appeared, List<Integer> disappeared,
                                   boolean complete, boolean paused) implements Event {

    /** One process of the list (guest strings are capped; render as text). */
    public record Entry(int pid, int tid, int ppid, long uid, long gid, String name, List<String> argv, char state,
                        boolean kernelThread, long startTimeNanos) {
        public Entry {
            argv = List.copyOf(argv);
        }
    }

    public ProcessSnapshotEvent {
        processes = List.copyOf(processes);
        appeared = List.copyOf(appeared);
        disappeared = List.copyOf(disappeared);
    }

    @Override
    public String kind() {
        return "processes";
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("count", processes.size());
        f.put("appeared", appeared);
        f.put("disappeared", disappeared);
        f.put("complete", complete);
        f.put("paused", paused);
        f.put("processes", processes.stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pid", p.pid());
            m.put("tid", p.tid());
            m.put("ppid", p.ppid());
            m.put("uid", p.uid());
            m.put("gid", p.gid());
            m.put("name", p.name());
            m.put("argv", p.argv());
            m.put("state", String.valueOf(p.state()));
            m.put("kernelThread", p.kernelThread());
            m.put("startTimeNanos", p.startTimeNanos());
            return m;
        }).toList());
        return f;
    }
}
