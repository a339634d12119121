package io.vmiscope.guest;

/**
 * QEMU rejected a QMP command (its answer was an {@code error}). The connection stays usable.
 */
public class QmpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String errorClass;

    public QmpException(String command, String errorClass, String description) {
        super("QMP " + command + " failed: " + errorClass + ": " + description);
        this.errorClass = errorClass;
    }

    /** QEMU's error class, e.g. {@code CommandNotFound}, {@code GenericError}. */
    public String errorClass() {
        return errorClass;
    }
}
