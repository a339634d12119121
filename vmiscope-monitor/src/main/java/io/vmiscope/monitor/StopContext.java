package io.vmiscope.monitor;

import io.vmiscope.api.GuestAccessException;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.linux.task.TaskIdentity;

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
            try {
                identity = Optional.of(linux.currentTasks().current(register("gs_base")));
            } catch (GuestAccessException e) {
                identity = Optional.empty();
            }
        }
        return identity;
    }

    ProcessRef process() {
        return currentTask().map(t -> new ProcessRef(t.tgid(), t.pid(), t.ppid(), t.uid(), t.comm()))
                .orElse(ProcessRef.NONE);
    }
}
