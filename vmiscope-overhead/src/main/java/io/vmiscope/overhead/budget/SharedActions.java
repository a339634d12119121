package io.vmiscope.overhead.budget;

import io.vmiscope.events.ActionSpec;
import java.util.HashMap;
import java.util.Map;

/**
 * The controller's starts and stops of the monitor's actions, by spec, shared between the requested
 * actions: a step of one can be another requested action as it is (procevents degraded to
 * {@code pslist:1s} beside a requested {@code pslist:1s}). The monitor runs one action per id — starting
 * an id that runs replaces it — so the action is started for its first user and stopped after its last;
 * without that, the first user to leave would stop it for the others. Confined to the controller's thread.
 */
final class SharedActions {

    private final MonitorControl monitor;
    /** Every spec started so far → the monitor's id of its action (kept after it stops: its costs stay). */
    private final Map<ActionSpec, String> idsBySpec = new HashMap<>();
    private final Map<String, Integer> usersById = new HashMap<>();

    SharedActions(MonitorControl monitor) {
        this.monitor = monitor;
    }

    /** Starts {@code spec}'s action for one more user; the monitor starts it for the first. */
    void start(ActionSpec spec) {
        String id = idsBySpec.get(spec);
        if (id == null || !usersById.containsKey(id)) {
            id = monitor.start(spec);
            idsBySpec.put(spec, id);
        }
        usersById.merge(id, 1, Integer::sum);
    }

    /** One user fewer for {@code spec}'s action; the monitor stops it after the last. */
    void stop(ActionSpec spec) {
        String id = idsBySpec.get(spec);
        Integer users = id == null ? null : usersById.get(id);
        if (users == null) {
            return;
        }
        if (users > 1) {
            usersById.put(id, users - 1);
        } else {
            usersById.remove(id);
            monitor.stop(id);
        }
    }

    /** The monitor's id of {@code spec}'s action, once it has been started; null before. */
    String id(ActionSpec spec) {
        return idsBySpec.get(spec);
    }

    /** How many requested actions run the action with this id now (0 when it does not run). */
    int users(String actionId) {
        return usersById.getOrDefault(actionId, 0);
    }
}
