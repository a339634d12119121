package io.vmiscope.overhead.budget;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.CostSummary;
import io.vmiscope.monitor.Action;
import io.vmiscope.monitor.Monitor;

import java.util.List;
import java.util.Map;

/** {@link MonitorControl} for the real {@link Monitor}, building actions through {@link BuiltActions}. */
public final class MonitorAdapter implements MonitorControl {

    private final Monitor monitor;
    private final BuiltActions actions;

    public MonitorAdapter(Monitor monitor, BuiltActions actions) {
        this.monitor = monitor;
        this.actions = actions;
    }

    @Override
    public String start(ActionSpec spec) {
        Action action = actions.action(spec);
        monitor.start(action);
        return action.id();
    }

    @Override
    public void stop(String actionId) {
        monitor.stop(actionId);
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
