package io.vmiscope.detect.anomaly;

/** A trace file that cannot be read as its format says; the message is {@code file:line: reason}. */
public final class TraceFileException extends RuntimeException {

    public TraceFileException(String file, long line, String reason) {
        super(file + ":" + line + ": " + reason);
    }

    public TraceFileException(String file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
    }
}
