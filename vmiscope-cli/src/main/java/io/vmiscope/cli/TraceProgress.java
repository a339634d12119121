package io.vmiscope.cli;

import io.vmiscope.detect.anomaly.Trace;

import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * A one-line progress display for long trace work: traces and syscalls read so far, redrawn at most four times
 * a second on a terminal's standard error; silent when standard error is not a terminal. Not thread-safe.
 */
final class TraceProgress implements Consumer<Trace>, AutoCloseable {

    private static final long REDRAW_NANOS = 250_000_000L;

    private final String what;
    private final PrintStream err;
    private long traces;
    private long calls;
    private long drawnAt;
    private boolean drawn;

    private TraceProgress(String what, PrintStream err) {
        this.what = what;
        this.err = err;
    }

    /** A display for {@code what}, or a silent one when there is no terminal. */
    static TraceProgress of(String what) {
        return new TraceProgress(what, System.console() == null ? null : System.err);
    }

    @Override
    public void accept(Trace trace) {
        traces++;
        calls += trace.syscalls().length;
        long now = System.nanoTime();
        if (err != null && now - drawnAt > REDRAW_NANOS) {
            err.print("\r" + what + ": " + traces + " traces, " + calls + " syscalls read");
            err.flush();
            drawnAt = now;
            drawn = true;
        }
    }

    /** Ends the line. */
    @Override
    public void close() {
        if (drawn) {
            err.println();
        }
    }
}
