package io.vmiscope.api;

/**
 * An infrastructure failure on the channel to the hypervisor: connection refused or closed, protocol
 * garbage, timeout. Ends the session; the message is one line fit for a user.
 */
public class TransportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
