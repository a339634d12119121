package io.vmiscope.overhead.workload;

/**
 * A command run through a {@link GuestShell} exited with a non-zero status: the guest is not in the
 * state the command needed (e.g. the workload to read does not run).
 */
public final class GuestCommandException extends IllegalStateException {

    /** The exit status of a command the guest killed, e.g. when its time limit passed. */
    public static final int KILLED = 137;
    private static final int MAX_SHOWN_CHARS = 200;

    private final int exitCode;

    public GuestCommandException(String command, int exitCode, String output) {
        super("guest command '" + firstLine(command) + "' " + (exitCode == KILLED
                ? "was killed (exit code 137: its time limit passed or it got SIGKILL)"
                : "failed with exit code " + exitCode) + describe(output));
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    private static String firstLine(String command) {
        String line = command.strip().lines().findFirst().orElse("");
        return line.length() <= 60 ? line : line.substring(0, 57) + "...";
    }

    /** The output on the same line, so the message stays one line. */
    private static String describe(String output) {
        String oneLine = String.join(" / ", output.strip().lines().toList());
        if (oneLine.isEmpty()) {
            return "";
        }
        return ": " + (oneLine.length() <= MAX_SHOWN_CHARS ? oneLine : oneLine.substring(0, MAX_SHOWN_CHARS - 3) + "...");
    }
}
