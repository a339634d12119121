package io.vmiscope.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A task ended.
 *
 * @param exitCode the exit status ({@code exit(n)}'s n), or -1 when killed by a signal
 * @param signal   the signal that ended it, or 0
 * @param thread   true when only one thread of a larger process ended
 */
public record ExitEvent(long timeNanos, String vm, String action, ProcessRef process, int exitCode, int signal,
                        boolean thread) implements Event {

    @Override
    public String kind() {
        return "exit";
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("exitCode", exitCode);
        f.put("signal", signal);
        f.put("thread", thread);
        return f;
    }
}
