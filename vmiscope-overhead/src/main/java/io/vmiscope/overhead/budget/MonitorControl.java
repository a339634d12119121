package io.vmiscope.overhead.budget;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.CostSummary;

import java.util.List;
import java.util.Map;

/**
 * What the {@link BudgetController} needs of a running monitor: start and stop actions by spec, and
 * read their costs. {@link MonitorAdapter} gives it for {@link io.vmiscope.monitor.Monitor}; tests use a
 * fake. Implementations must be callable from the controller's thread while the monitor runs.
 */
public interface MonitorControl {

    /** Builds the action {@code spec} names and starts it; returns its id (what {@link #costs} calls it). */
    String start(ActionSpec spec);

    /** Stops the action with this id; its cost record stays. */
    void stop(String actionId);

    /** Cumulative costs of every action started so far. */
    List<CostSummary> costs();

    /** Cumulative stops per hooked function, counted once however many actions share it. */
    Map<String, Long> stopsBySite();
}
