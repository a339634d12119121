package io.vmiscope.cli.bench;

import java.io.PrintWriter;

/**
 * Progress of a long step of the store benchmark, on stderr: percent done and the estimated time left,
 * at most once every {@value #EVERY_MILLIS} ms. On a terminal the line is rewritten in place; otherwise
 * (a log, a test) each report is a line of its own, every {@value #EVERY_MILLIS_NOT_TERMINAL} ms. Not
 * thread-safe: report from one thread.
 */
public final class StoreProgress {

    private static final long EVERY_MILLIS = 500;
    private static final long EVERY_MILLIS_NOT_TERMINAL = 5_000;

    private final PrintWriter err;
    private final String what;
    private final String unit;
    private final long total;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private long lastNanos = startNanos;

    /**
     * @param what  the step, e.g. {@code "writing drakmon.log"}
     * @param unit  what is counted, e.g. {@code "lines"}
     * @param total how many of them the step will have done at its end
     */
    public StoreProgress(PrintWriter err, String what, String unit, long total) {
        this.err = err;
        this.what = what;
        this.unit = unit;
        this.total = total;
        this.terminal = System.console() != null;
    }

    /** Reports {@code done} of the total, if the last report is old enough. Cheap when it is not. */
    public void update(long done) {
        long now = System.nanoTime();
        long every = terminal ? EVERY_MILLIS : EVERY_MILLIS_NOT_TERMINAL;
        if (now - lastNanos < every * 1_000_000L || done <= 0) {
            return;
        }
        lastNanos = now;
        double elapsedSeconds = (now - startNanos) / 1e9;
        double fraction = Math.min(1, (double) done / total);
        long etaSeconds = Math.round(elapsedSeconds / fraction - elapsedSeconds);
        String text = String.format("vmiscope: %s: %3.0f%% (%,d of %,d %s), %s left", what, 100 * fraction, done,
                total, unit, duration(etaSeconds));
        err.print(terminal ? "\r" + text + "   " : text + System.lineSeparator());
        err.flush();
    }

    /** Ends the step: one line with its total time. */
    public void done(long done) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        String text = String.format("vmiscope: %s: %,d %s in %s (%,.0f %s/s)", what, done, unit,
                duration(Math.round(seconds)), done / Math.max(seconds, 1e-9), unit);
        // on a terminal, blanks clear what is left of a longer progress line
        err.print((terminal ? "\r" + text + " ".repeat(20) : text) + System.lineSeparator());
        err.flush();
    }

    /** {@code 42 s}, {@code 3 min 5 s}: how long a step took or has left, for people. */
    public static String duration(long seconds) {
        return seconds >= 60 ? seconds / 60 + " min " + seconds % 60 + " s" : seconds + " s";
    }
}
