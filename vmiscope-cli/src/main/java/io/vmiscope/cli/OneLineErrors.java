package io.vmiscope.cli;

import picocli.CommandLine;

/**
 * Users get one line naming the problem, never a stack trace; {@code VMISCOPE_DEBUG=1} shows the trace
 * for developers. Exit code 1, or 2 for {@link InvalidInputException} (picocli's code for invalid input).
 */
final class OneLineErrors implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        if ("1".equals(System.getenv("VMISCOPE_DEBUG"))) {
            e.printStackTrace(cli.getErr());
        }
        cli.getErr().println("vmiscope: " + message(e));
        return e instanceof InvalidInputException ? cli.getCommandSpec().exitCodeOnInvalidInput() : 1;
    }

    static String message(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        String text = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return text.lines().findFirst().orElse(text);
    }
}
