package io.vmiscope.api;

/**
 * A guest-data fault: the guest's state did not allow the access (unmapped page, non-canonical or
 * implausible pointer, address outside RAM). Expected, local to one access, and says where it happened.
 */
public class GuestAccessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GuestAccessException(String message) {
        super(message);
    }

    public GuestAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
