package io.vmiscope.cli;

import io.vmiscope.guest.CommandResult;
import io.vmiscope.guest.TestConsole;
import io.vmiscope.overhead.workload.GuestCommandException;
import io.vmiscope.overhead.workload.GuestShell;

import java.time.Duration;

/**
 * Workloads' guest shell on the demo guest's test console. The output it returns is the console's:
 * standard output and error interleaved. Thread-safe as the console is (one command at a time).
 */
final class ConsoleShell implements GuestShell {

    private final TestConsole console;

    ConsoleShell(TestConsole console) {
        this.console = console;
    }

    @Override
    public String run(String command, Duration timeout) {
        CommandResult result = console.run(command, timeout);
        if (!result.succeeded()) {
            throw new GuestCommandException(command, result.exitCode(), result.output());
        }
        return result.output();
    }
}
