package io.vmiscope.session.live;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.overhead.budget.Budget;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One VM under live monitoring, as the UI controls it. Every method may be called from any request thread
 * while the monitor runs; a request it cannot honour throws {@link IllegalArgumentException} with one line.
 */
public interface LiveVm {

    String name();

    /** Whether its monitor still runs. */
    boolean monitoring();

    /** Every action started in this session, running or stopped, with its cost so far. */
    List<ActionStatus> actions();

    /** The budget controller's estimate of the VM's slowdown now, with its basis; empty before its first. */
    Optional<SlowdownEstimate> slowdown();

    Optional<Budget> budget();

    void budget(Budget budget);

    /** The on-demand actions it offers. */
    List<ActionTemplate> templates();

    /** The predicted cost of a template (for {@code pid} when per-process) against the budget, with cheaper variants. */
    ActionPreview preview(String template, Integer pid);

    /** What-if: the predicted slowdown of these action specs under the VM's measured rates. */
    LivePrediction predict(List<ActionSpec> specs);

    /**
     * Starts an action, continuously or time-boxed; returns its id (the spec's text).
     *
     * @param on  how long it runs in each period of a duty cycle, or {@code null} for continuously
     * @param off how long it pauses in each period, or {@code null} for continuously
     */
    String start(ActionSpec spec, Duration on, Duration off);

    /** Stops a running action. */
    void stop(String actionId);
}
