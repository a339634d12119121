package io.vmiscope.cli.guard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The owner's handle to a running guard process (see {@link GuardLauncher#start}).
 *
 * <p>{@link #close()} marks a clean exit (creates the clean-exit file) and stops the guard with SIGTERM;
 * it never waits for the guard and is idempotent. Close it <em>after</em> the {@code GdbDriver} it
 * protects: until then a death of the owner in the middle of detaching is still covered. A guard that
 * is not closed exits by itself once the owner is gone, after releasing the VM. The guard's directory
 * (log and clean-exit file) stays for diagnosis. Thread-safe.
 */
public final class Guard implements AutoCloseable {

    private final Process process;
    private final Path cleanExitFile;
    private final Path logFile;
    private boolean closed;

    Guard(Process process, Path cleanExitFile, Path logFile) {
        this.process = process;
        this.cleanExitFile = cleanExitFile;
        this.logFile = logFile;
    }

    /** The guard process, e.g. to wait for its exit. */
    public ProcessHandle process() {
        return process.toHandle();
    }

    /** Where the guard logs one line per action. */
    public Path logFile() {
        return logFile;
    }

    /** The file whose existence tells the guard that the owner detached cleanly. */
    public Path cleanExitFile() {
        return cleanExitFile;
    }

    /** Marks a clean exit and stops the guard; returns at once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Files.write(cleanExitFile, new byte[0]);
        } catch (IOException e) {
            // SIGTERM below stops the guard all the same; the file only covers an owner that exits first.
        }
        process.destroy();
    }

    @Override
    public String toString() {
        return "Guard[pid " + process.pid() + ", log " + logFile + "]";
    }
}
