package io.vmiscope.monitor;

import io.vmiscope.events.Event;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.linux.walk.WalkPacer;

/** One run of an action's periodic work, on the monitor's thread. */
public final class Tick {

    private final String action;
    private final Monitor monitor;
    private final long timeNanos;
    private final boolean paused;
    private final WalkPacer pacer;

    Tick(String action, Monitor monitor, long timeNanos, boolean paused, WalkPacer pacer) {
        this.action = action;
        this.monitor = monitor;
        this.timeNanos = timeNanos;
        this.paused = paused;
        this.pacer = pacer;
    }

    /** What a walk calls between its steps: nothing when paused, else it lets the VM run a moment. */
    public WalkPacer pacer() {
        return pacer;
    }

    public LinuxGuest linux() {
        return monitor.linux();
    }

    public String vm() {
        return monitor.vm();
    }

    public String action() {
        return action;
    }

    /** Host wall-clock time when the run started, nanoseconds since the epoch. */
    public long timeNanos() {
        return timeNanos;
    }

    /** Whether the VM is held paused for the whole run. */
    public boolean paused() {
        return paused;
    }

    public void emit(Event event) {
        monitor.emit(action, event);
    }
}
