package io.vmiscope.api;

import java.time.Duration;
import java.util.Optional;

/** Stops and resumes the whole VM (all vCPUs). */
public interface ExecutionControl {

    /** Stops every vCPU; returns once the VM is stopped. Idempotent. */
    StopEvent pause();

    /** Resumes every vCPU. Idempotent. */
    void resume();

    boolean isPaused();

    /**
     * Executes one instruction on {@code vcpu} while the other vCPUs stay stopped, and returns its
     * stop. The VM must be stopped. Used to step over a breakpoint: remove it, step, insert it again.
     */
    StopEvent step(int vcpu);

    /**
     * Waits until the running VM stops by itself (breakpoint, step end, guest exit).
     *
     * @return empty when the timeout passed first; the VM is then still running
     */
    Optional<StopEvent> awaitStop(Duration timeout);
}
