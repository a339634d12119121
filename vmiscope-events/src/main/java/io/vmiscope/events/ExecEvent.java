package io.vmiscope.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A program was executed.
 *
 * @param path         the executed file as given to execve
 * @param argv         its arguments (capped)
 * @param argvComplete false when argv was cut at a limit or partly unreadable
 */
public record ExecEvent(long timeNanos, String vm, String action, ProcessRef process, String path, List<String> argv,
                        boolean argvComplete) implements Event {

    public ExecEvent {
        argv = List.copyOf(argv);
    }

    @Override
    public String kind() {
        return "exec";
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("path", path);
        f.put("argv", argv);
        f.put("argvComplete", argvComplete);
        return f;
    }
}
