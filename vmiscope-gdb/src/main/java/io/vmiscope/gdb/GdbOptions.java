package io.vmiscope.gdb;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link GdbDriver} connects and waits.
 *
 * @param connectTimeout     how long to wait for the connection (TCP or Unix socket)
 * @param commandTimeout     how long to wait for any single answer or acknowledgement, for room to write
 *                           a command, and for the VM to stop after an interrupt or a single step
 * @param resumeAfterConnect true: resume the VM once the handshake is done; false (default): leave it
 *                           stopped as the connection found it — QEMU stops the VM when a debugger
 *                           connects, so "as found" means stopped
 */
public record GdbOptions(Duration connectTimeout, Duration commandTimeout, boolean resumeAfterConnect) {

    /** 5 s for connecting and for every answer; the VM is left stopped after connecting. */
    public static final GdbOptions DEFAULTS = new GdbOptions(Duration.ofSeconds(5), Duration.ofSeconds(5), false);

    public GdbOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || commandTimeout.isNegative()
                || commandTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive: " + connectTimeout + ", " + commandTimeout);
        }
    }

    public GdbOptions withConnectTimeout(Duration timeout) {
        return new GdbOptions(timeout, commandTimeout, resumeAfterConnect);
    }

    public GdbOptions withCommandTimeout(Duration timeout) {
        return new GdbOptions(connectTimeout, timeout, resumeAfterConnect);
    }

    public GdbOptions withResumeAfterConnect(boolean resume) {
        return new GdbOptions(connectTimeout, commandTimeout, resume);
    }
}
