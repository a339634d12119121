package io.vmiscope.guest;

import java.util.OptionalLong;

/**
 * Who a VM lives for. A VM owned by a process is killed by its supervisor (and by the reaper) once
 * that process is gone; a detached VM runs until stopped explicitly ({@code vmiscope guest stop}).
 * The start time in clock ticks tells the owner apart from a later process that reuses its pid.
 *
 * @param pid        the owner's pid, {@code -1} when detached
 * @param startTicks the owner's start time ({@code /proc/PID/stat} field 22), {@code -1} when detached
 */
public record VmOwner(long pid, long startTicks) {

    /** The running JVM. */
    public static VmOwner currentJvm() {
        return process(ProcessHandle.current().pid());
    }

    /** No owner: the VM outlives the tool that started it. */
    public static VmOwner detached() {
        return new VmOwner(-1, -1);
    }

    /**
     * A running process as owner.
     *
     * @throws IllegalArgumentException when no such process runs
     */
    public static VmOwner process(long pid) {
        OptionalLong ticks = ProcStat.startTicks(pid);
        if (ticks.isEmpty() || !ProcStat.isRunning(pid)) {
            throw new IllegalArgumentException("no running process " + pid);
        }
        return new VmOwner(pid, ticks.getAsLong());
    }

    public boolean isDetached() {
        return pid < 0;
    }

    /** True for a detached VM, else when the owner process still runs. */
    public boolean isAlive() {
        return isDetached() || ProcStat.isSameProcessRunning(pid, startTicks);
    }

    @Override
    public String toString() {
        return isDetached() ? "detached" : "pid " + pid;
    }
}
