package io.vmiscope.linux.profile;

/** A profile could not be built or lacks what a caller needs; the message is one line naming the problem. */
public class ProfileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProfileException(String message) {
        super(message);
    }

    public ProfileException(String message, Throwable cause) {
        super(message, cause);
    }
}
