package io.vmiscope.monitor;

import io.vmiscope.events.Event;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.linux.task.TaskIdentity;
import io.vmiscope.x86.ContextRead;
import io.vmiscope.x86.GuestMemory;

import java.util.List;
import java.util.Optional;

/**
 * One hit of one action's hook, as its handler sees it: the stopped vCPU's registers, guest memory,
 * the current task, and where to put events. A hit whose handler emits nothing (and asks for no
 * return) counts as filtered. Valid only during the handler call, on the monitor's thread.
 */
public final class Hit {

    private final StopContext stop;
    private final String action;
    private final Monitor monitor;
    private int emitted;
    private boolean deferred;

    Hit(StopContext stop, String action, Monitor monitor) {
        this.stop = stop;
        this.action = action;
        this.monitor = monitor;
    }

    public int vcpu() {
        return stop.vcpu;
    }

    /** A register of the stopped vCPU, by the stub's name ({@code rdi}, {@code rsp}, {@code gs_base}, …). */
    public long register(String name) {
        return stop.register(name);
    }

    /** Host wall-clock time of the stop, nanoseconds since the epoch. */
    public long timeNanos() {
        return stop.timeNanos;
    }

    public String vm() {
        return monitor.vm();
    }

    public String action() {
        return action;
    }

    public LinuxGuest linux() {
        return stop.linux;
    }

    public GuestMemory memory() {
        return stop.linux.memory();
    }

    /** The task running on the stopped vCPU (read once per stop, shared by all actions), if readable. */
    public Optional<TaskIdentity> currentTask() {
        return stop.currentTask();
    }

    /**
     * Reads kernel or user memory in one batch with the current task (when this stop has not read it
     * yet): what a handler needs first and who called cost one round trip together.
     *
     * @throws io.vmiscope.api.GuestAccessException for the first of {@code reads} that failed
     */
    public void readWithCurrentTask(List<ContextRead> reads) {
        stop.readWithCurrentTask(reads);
    }

    /** The current task as events report it ({@link ProcessRef#NONE} when unreadable). */
    public ProcessRef process() {
        return stop.process();
    }

    public void emit(Event event) {
        emitted++;
        monitor.emit(action, event);
    }

    /**
     * Asks for a second call when the hooked function returns (same task: matched by the stack pointer).
     * The monitor sets a temporary breakpoint on the return address; when the return is not seen within
     * the monitor's return timeout, {@code giveUp} runs instead.
     */
    public void onReturn(HitHandler onReturn, Runnable giveUp) {
        deferred = true;
        monitor.expectReturn(this, onReturn, giveUp);
    }

    int emitted() {
        return emitted;
    }

    /** True when the hit's event waits for the return (it counts as a hit with events). */
    boolean deferred() {
        return deferred;
    }

    StopContext stop() {
        return stop;
    }
}
