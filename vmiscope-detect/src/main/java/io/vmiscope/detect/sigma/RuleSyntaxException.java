package io.vmiscope.detect.sigma;

/**
 * A rule file that is not a valid Sigma rule (bad YAML, a wrong type, an invalid regular expression): the line it
 * is on (1-based, 0 when unknown) and a one-line reason. The loader prefixes the file.
 */
final class RuleSyntaxException extends RuntimeException {

    private final int line;

    RuleSyntaxException(int line, String reason) {
        super(reason);
        this.line = line;
    }

    int line() {
        return line;
    }
}
