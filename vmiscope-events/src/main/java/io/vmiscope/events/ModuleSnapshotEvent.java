package io.vmiscope.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loaded kernel modules, read from kernel memory, with what changed since the previous snapshot.
 *
 * @param modules     every module in the list
 * @param appeared    names present now but not before (all, for the first snapshot)
 * @param disappeared names that are gone
 * @param complete    false when the walk was cut short or saw anomalies
 */
public record ModuleSnapshotEvent(long timeNanos, String vm, String action, ProcessRef process, List<Entry> modules,
                                  List<String> appeared, List<String> disappeared, boolean complete) implements Event {

    /** One module: its name, state, where its core is mapped and how large it is. */
    public record Entry(String name, String state, long baseAddress, long sizeBytes) {
    }

    public ModuleSnapshotEvent {
        modules = List.copyOf(modules);
        appeared = List.copyOf(appeared);
        disappeared = List.copyOf(disappeared);
    }

    @Override
    public String kind() {
        return "modules";
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("count", modules.size());
        f.put("appeared", appeared);
        f.put("disappeared", disappeared);
        f.put("complete", complete);
        f.put("modules", modules.stream().map(m -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", m.name());
            e.put("state", m.state());
            e.put("base", String.format("0x%016x", m.baseAddress()));
            e.put("size", m.sizeBytes());
            return e;
        }).toList());
        return f;
    }
}
