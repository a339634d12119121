package io.vmiscope.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A new task was created (fork, vfork, clone).
 *
 * @param childPid    the new task's thread-group id
 * @param childTid    the new task's id
 * @param thread      true when it is a thread of the same process (CLONE_THREAD)
 */
public record ForkEvent(long timeNanos, String vm, String action, ProcessRef process, int childPid, int childTid,
                        boolean thread) implements Event {

    @Override
    public String kind() {
        return "fork";
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("childPid", childPid);
        f.put("childTid", childTid);
        f.put("thread", thread);
        return f;
    }
}
