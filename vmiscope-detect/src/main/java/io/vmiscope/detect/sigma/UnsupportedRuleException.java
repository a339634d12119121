package io.vmiscope.detect.sigma;

/** A well-formed rule that uses something vmiscope cannot evaluate; the message says what, on one line. */
final class UnsupportedRuleException extends RuntimeException {

    UnsupportedRuleException(String reason) {
        super(reason);
    }
}
