package io.vmiscope.guest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * What a command run on the test console left: its exit code (137 when the guest killed it at its
 * time limit), its standard output and error interleaved as the guest wrote them, and the host's
 * wall-clock time for the round trip. Immutable.
 */
public final class CommandResult {

    private final int exitCode;
    private final byte[] output;
    private final Duration elapsed;

    public CommandResult(int exitCode, byte[] output, Duration elapsed) {
        this.exitCode = exitCode;
        this.output = output.clone();
        this.elapsed = elapsed;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The output decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String output() {
        return new String(output, StandardCharsets.UTF_8);
    }

    /** The output bytes exactly as the guest produced them (a copy). */
    public byte[] rawOutput() {
        return output.clone();
    }

    /** Host wall-clock time from sending the command to the end of its answer. */
    public Duration elapsed() {
        return elapsed;
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /**
     * This result when the command succeeded.
     *
     * @throws IllegalStateException with the exit code and output otherwise
     */
    public CommandResult orThrow() {
        if (!succeeded()) {
            throw new IllegalStateException("guest command failed with exit code " + exitCode + ": " + output().strip());
        }
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommandResult r && r.exitCode == exitCode && Arrays.equals(r.output, output)
                && r.elapsed.equals(elapsed);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * exitCode + Arrays.hashCode(output)) + elapsed.hashCode();
    }

    @Override
    public String toString() {
        return "CommandResult[exitCode=" + exitCode + ", output=" + output().strip() + ", elapsed=" + elapsed + "]";
    }
}
