package io.vmiscope.cli;

/**
 * The user's input — an argument, or a file it names — cannot be used: one line on stderr and exit code 2,
 * picocli's code for invalid input (other failures exit with 1). The message names the input and the reason.
 */
final class InvalidInputException extends IllegalArgumentException {

    InvalidInputException(String message) {
        super(message);
    }

    InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
