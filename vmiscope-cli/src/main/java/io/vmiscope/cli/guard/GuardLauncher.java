package io.vmiscope.cli.guard;

import io.vmiscope.gdb.GdbAddress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts a {@link GuardMain} process for the current JVM: the same Java executable and class path, a
 * small heap, its output appended to its log. The guard lives in a fresh directory under
 * {@code java.io.tmpdir} with its log ({@code guard.log}) and, once the owner closes the handle, the
 * clean-exit file.
 *
 * <p>Start the guard before connecting the debugger, close it after detaching (see {@link Guard}).
 * Starting does not wait for the guard's JVM to come up (about half a second): should the owner die
 * meanwhile, the guard finds it gone when it starts and releases the VM all the same.
 */
public final class GuardLauncher {

    /** The guard only polls and sends a few packets: a small heap and the quick compiler suffice. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private GuardLauncher() {
    }

    /**
     * Spawns a guard for the VM whose gdbstub listens at {@code stub}.
     *
     * @param qmpSocket a QMP socket the guard may use to resume the VM as a second way (the demo guest's
     *                  {@code guardQmpSocket()}), or empty
     * @throws UncheckedIOException when the directory or the process cannot be created
     */
    public static Guard start(GdbAddress stub, Optional<Path> qmpSocket) {
        try {
            Path dir = Files.createTempDirectory("vmiscope-guard-");
            Path log = dir.resolve("guard.log");
            Path cleanExit = dir.resolve("clean-exit");
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command()
                    .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(JVM_OPTIONS);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), GuardMain.class.getName(),
                    "--owner", Long.toString(ProcessHandle.current().pid()), "--gdb", stub.toString(),
                    "--clean-exit-file", cleanExit.toString(), "--log", log.toString()));
            qmpSocket.ifPresent(socket -> command.addAll(List.of("--qmp", socket.toString())));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            // The guard reads nothing; no pipe may tie it to the owner.
            process.getOutputStream().close();
            return new Guard(process, cleanExit, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the guard process for " + stub + ": " + e.getMessage(), e);
        }
    }
}
