package io.vmiscope.cli.guard;

import io.vmiscope.api.TransportException;
import io.vmiscope.gdb.GdbAddress;
import io.vmiscope.gdb.GdbDriver;
import io.vmiscope.gdb.GdbOptions;
import io.vmiscope.guest.Qmp;
import io.vmiscope.guest.QmpException;
import io.vmiscope.guest.VmOwner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The guard process: {@code java -cp CLASSPATH io.vmiscope.cli.guard.GuardMain --owner PID --gdb unix:PATH|HOST:PORT
 * [--qmp SOCKET] [--clean-exit-file PATH] [--log PATH]}, normally started by {@link GuardLauncher}.
 *
 * <p>Every {@value #POLL_MILLIS} ms it checks the owner (pid and start time, so a reused pid does not
 * count; a zombie counts as gone) and the clean-exit file. The file present: it exits at once and leaves
 * the VM alone. The owner gone without the file: with {@code --qmp}, it first waits (up to
 * {@value #RELEASE_WINDOW_SECONDS} s) until QEMU lists no gdbstub client, and leaves the VM alone if
 * another debugger holds the stub (see {@link GdbStubClients}); then it runs {@link GdbDriver#release},
 * retried for up to {@value #RELEASE_WINDOW_SECONDS} s, and finally asks QMP for the run state and sends
 * {@code cont} unless the VM runs. Without {@code --qmp} (or when QMP fails) it can only retry the
 * release. Then it exits. Exit code 0 when the VM runs (or was released) at the end, 1 when
 * it may still be stopped, 2 for bad arguments.
 *
 * <p>One line per action goes to {@code --log} (standard error without it), each with a timestamp.
 */
@Command(name = "vmiscope-guard", mixinStandardHelpOptions = true,
        description = "Resumes a VM and clears its breakpoints when the vmiscope process holding its gdbstub dies.")
public final class GuardMain implements Callable<Integer> {

    static final long POLL_MILLIS = 200;
    static final long RELEASE_WINDOW_SECONDS = 10;
    private static final long RETRY_PAUSE_MILLIS = 200;
    private static final GdbOptions RELEASE_OPTIONS = GdbOptions.DEFAULTS
            .withConnectTimeout(Duration.ofSeconds(1)).withCommandTimeout(Duration.ofSeconds(1));
    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(3);

    @Option(names = "--owner", required = true, paramLabel = "PID", description = "the process to watch")
    long ownerPid;

    @Option(names = "--gdb", required = true, paramLabel = "unix:PATH|HOST:PORT", description = "the VM's gdbstub")
    String gdb;

    @Option(names = "--qmp", paramLabel = "SOCKET", description = "a free QMP socket of the VM, for a second way to resume it")
    Path qmpSocket;

    @Option(names = "--clean-exit-file", paramLabel = "PATH",
            description = "created by the owner when it detaches cleanly: then nothing needs recovery")
    Path cleanExitFile;

    @Option(names = "--log", paramLabel = "PATH", description = "append one line per action here (default: standard error)")
    Path logFile;

    public static void main(String[] args) {
        System.exit(new CommandLine(new GuardMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        GdbAddress stub = GdbAddress.parse(gdb);
        Optional<VmOwner> owner = findOwner();
        log("guarding " + stub + (qmpSocket == null ? "" : " and QMP " + qmpSocket) + " for owner pid " + ownerPid
                + (owner.isEmpty() ? " (already gone)" : ""));
        while (owner.isPresent() && owner.get().isAlive()) {
            if (cleanExitMarked()) {
                log("clean exit marked by owner pid " + ownerPid + ": leaving the VM alone");
                return 0;
            }
            Thread.sleep(POLL_MILLIS);
        }
        if (cleanExitMarked()) {
            log("owner pid " + ownerPid + " exited cleanly: leaving the VM alone");
            return 0;
        }
        log("owner pid " + ownerPid + " is gone without a clean exit: releasing the VM");
        Optional<Qmp> qmp = connectQmp();
        try {
            Optional<String> other = qmp.flatMap(this::awaitStubFree);
            if (other.isPresent()) {
                log("another debugger (" + other.get() + ") holds the gdbstub: leaving the VM to it");
                return 1;
            }
            boolean released = release(stub);
            boolean running = qmp.map(q -> resume(q, released)).orElse(released);
            log(running ? "done: the VM runs" : "done: the VM may still be stopped; try 'vmiscope guest release'");
            return running ? 0 : 1;
        } finally {
            qmp.ifPresent(Qmp::close);
        }
    }

    private Optional<Qmp> connectQmp() {
        if (qmpSocket == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Qmp.connect(qmpSocket, QMP_TIMEOUT));
        } catch (TransportException e) {
            log("QMP on " + qmpSocket + " failed (" + e.getMessage() + "): releasing through the gdbstub only");
            return Optional.empty();
        }
    }

    /**
     * Waits for QEMU to notice that the owner's connection is gone, so that no release attempt queues
     * behind it (see {@link GdbStubClients}).
     *
     * @return the client still connected after the release window: not the owner, whose sockets the
     *         kernel closed, but another debugger
     */
    private Optional<String> awaitStubFree(Qmp qmp) {
        long deadline = System.nanoTime() + Duration.ofSeconds(RELEASE_WINDOW_SECONDS).toNanos();
        try {
            Optional<String> client = GdbStubClients.attached(qmp);
            if (client.isPresent()) {
                log("QEMU still lists gdbstub client " + client.get() + ": waiting for it to go");
            }
            while (client.isPresent() && System.nanoTime() - deadline < 0) {
                Thread.sleep(RETRY_PAUSE_MILLIS);
                client = GdbStubClients.attached(qmp);
            }
            return client;
        } catch (TransportException | QmpException e) {
            log("QMP query-chardev failed (" + e.getMessage() + "): releasing without looking");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private Optional<VmOwner> findOwner() {
        try {
            return Optional.of(VmOwner.process(ownerPid));
        } catch (IllegalArgumentException gone) {
            return Optional.empty();
        }
    }

    private boolean cleanExitMarked() {
        return cleanExitFile != null && Files.exists(cleanExitFile);
    }

    private boolean release(GdbAddress stub) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(RELEASE_WINDOW_SECONDS).toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                log(GdbDriver.release(stub, RELEASE_OPTIONS).describe());
                return true;
            } catch (TransportException e) {
                log("release attempt " + attempt + " failed: " + e.getMessage());
            }
            if (System.nanoTime() - deadline >= 0) {
                log("gave up releasing through the gdbstub after " + RELEASE_WINDOW_SECONDS + " s");
                return false;
            }
            Thread.sleep(RETRY_PAUSE_MILLIS);
        }
    }

    /** The second way: QMP {@code cont} unless the VM already runs; true when it runs. */
    private boolean resume(Qmp qmp, boolean released) {
        try {
            String status = qmp.status();
            if (status.equals("running")) {
                log("QMP status: running");
                return true;
            }
            qmp.cont();
            log("QMP status was " + status + ": sent cont, status now " + qmp.status());
            return qmp.isRunning();
        } catch (TransportException | QmpException e) {
            log("QMP cont failed: " + e.getMessage());
            return released;
        }
    }

    private void log(String message) {
        String line = Instant.now() + " guard[" + ProcessHandle.current().pid() + "] " + message + System.lineSeparator();
        if (logFile != null) {
            try {
                Files.writeString(logFile, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                return;
            } catch (IOException e) {
                System.err.print("cannot write " + logFile + ": " + e.getMessage() + System.lineSeparator());
            }
        }
        System.err.print(line);
    }
}
