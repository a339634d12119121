package io.vmiscope.overhead.budget;

import io.vmiscope.monitor.CostSummary;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lets several requested actions run the same action at once: a step of one can be another requested
 * action as it is (procevents degraded to {@code pslist:1s} beside a requested {@code pslist:1s}). The
 * monitor runs one action per id — starting an id that runs replaces it — so the action is started for
 * its first user and stopped after its last; without that, the first user to leave would stop it for
 * the others. Confined to the controller's thread.
 */
final class SharedActions implements MonitorControl {

    private final MonitorControl monitor;
    private final Map<String, String> idsBySpec = new HashMap<>();
    private final Map<String, Integer> usersById = new HashMap<>();

    SharedActions(MonitorControl monitor) {
        this.monitor = monitor;
    }

    @Override
    public String start(String spec) {
        String id = idsBySpec.get(spec);
        if (id == null || !usersById.containsKey(id)) {
            id = monitor.start(spec);
            idsBySpec.put(spec, id);
        }
        usersById.merge(id, 1, Integer::sum);
        return id;
    }

    @Override
    public void stop(String actionId) {
        Integer users = usersById.get(actionId);
        if (users == null) {
            return;
        }
        if (users > 1) {
            usersById.put(actionId, users - 1);
        } else {
            usersById.remove(actionId);
            monitor.stop(actionId);
        }
    }

    /** How many requested actions run the action with this id now (0 when it does not run). */
    int users(String actionId) {
        return usersById.getOrDefault(actionId, 0);
    }

    @Override
    public List<CostSummary> costs() {
        return monitor.costs();
    }

    @Override
    public Map<String, Long> stopsBySite() {
        return monitor.stopsBySite();
    }
}
