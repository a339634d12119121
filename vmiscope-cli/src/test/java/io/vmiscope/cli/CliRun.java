package io.vmiscope.cli;

import io.vmiscope.guest.QemuVm;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A {@code vmiscope} command run in-process with its standard output and error captured.
 *
 * @param exit the exit code
 * @param out  what it printed on standard output
 * @param err  what it printed on standard error
 */
record CliRun(int exit, String out, String err) {

    static CliRun of(String... args) {
        return whileGuestRuns(null, 0, "", args);
    }

    /**
     * Runs the command while a background thread has the guest run {@code command} {@code times} times
     * through its test console, 400 ms apart (ground truth for what the command observes).
     */
    static CliRun whileGuestRuns(QemuVm vm, int times, String command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        Thread workload = new Thread(() -> {
            for (int i = 0; i < times; i++) {
                try {
                    Thread.sleep(400);
                    vm.console().run(command, Duration.ofSeconds(10));
                } catch (RuntimeException | InterruptedException e) {
                    return;
                }
            }
        });
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            workload.start();
            exit = Main.commandLine().execute(args);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
            try {
                workload.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
