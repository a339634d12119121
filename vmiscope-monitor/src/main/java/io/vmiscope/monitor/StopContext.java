package io.vmiscope.monitor;

import io.vmiscope.api.GuestAccessException;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.linux.task.CurrentTaskReader;
import io.vmiscope.linux.task.TaskIdentity;
import io.vmiscope.x86.ContextRead;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What every handler of one stop shares: the registers and, read at most once, the current task. */
final class StopContext {

    final int vcpu;
    final Map<String, Long> registers;
    final long timeNanos;
    final LinuxGuest linux;
    private Optional<TaskIdentity> identity;

    StopContext(int vcpu, Map<String, Long> registers, long timeNanos, LinuxGuest linux) {
        this.vcpu = vcpu;
        this.registers = registers;
        this.timeNanos = timeNanos;
        this.linux = linux;
    }

    long register(String name) {
        Long value = registers.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the stub reported no register '" + name + "'");
        }
        return value;
    }

    /** The task on this vCPU, or empty when its memory could not be read. */
    Optional<TaskIdentity> currentTask() {
        if (identity == null) {
            readWithCurrentTask(List.of());
        }
        return identity;
    }

    /**
     * Reads {@code reads} in one batch with the current task's lookup, if the task was not read yet at
     * this stop: a handler that needs both pays one round trip, not two.
     *
     * @throws GuestAccessException for the first of {@code reads} that failed (the task is read regardless)
     */
    void readWithCurrentTask(List<ContextRead> reads) {
        if (identity != null) {
            linux.memory().readAll(reads);
            return;
        }
        CurrentTaskReader.Lookup lookup;
        try {
            lookup = linux.currentTasks().lookup(register("gs_base"));
        } catch (GuestAccessException e) {
            identity = Optional.empty();
            linux.memory().readAll(reads);
            return;
        }
        List<ContextRead> batch = new ArrayList<>(reads.size() + 8);
        batch.addAll(reads);
        batch.addAll(lookup.reads());
        Map<Integer, GuestAccessException> failures = linux.memory().readEach(batch);
        try {
            identity = Optional.of(lookup.finish(failures, reads.size()));
        } catch (GuestAccessException e) {
            identity = Optional.empty();
        }
        for (Map.Entry<Integer, GuestAccessException> failure : failures.entrySet()) {
            if (failure.getKey() < reads.size()) {
                throw failure.getValue();
            }
        }
    }

    ProcessRef process() {
        return currentTask().map(t -> new ProcessRef(t.tgid(), t.pid(), t.ppid(), t.uid(), t.comm()))
                .orElse(ProcessRef.NONE);
    }
}
