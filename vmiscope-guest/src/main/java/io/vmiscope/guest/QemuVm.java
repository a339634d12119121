package io.vmiscope.guest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import io.vmiscope.api.TransportException;

/**
 * A running demo guest: its QEMU process, sockets, forwarded port and the clients for them. Obtained from
 * {@link QemuLauncher} (which starts it) or {@link VmRegistry#find(String)} (a VM started earlier,
 * possibly by another process).
 *
 * <p>{@link #stop()} ends the VM: QMP {@code quit}, then SIGTERM, then SIGKILL, and removes its
 * registry entry; it is idempotent. {@link #close()} stops the VM when this handle owns it (started
 * by this JVM, not detached); a handle to a detached or found VM only closes its connections.
 * Thread-safe.
 */
public final class QemuVm implements AutoCloseable {

    private static final Duration QUIT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration TERM_GRACE = Duration.ofSeconds(3);

    private final VmState state;
    private final boolean ownedHere;
    private final Consumer<String> onStopped;
    private TestConsole console;
    private Qmp qmp;
    private boolean stopped;

    QemuVm(VmState state, boolean ownedHere, Consumer<String> onStopped) {
        this.state = state;
        this.ownedHere = ownedHere;
        this.onStopped = onStopped;
    }

    public String name() {
        return state.name();
    }

    /** QEMU's pid on the host. */
    public long pid() {
        return state.qemuPid();
    }

    /** The gdbstub's Unix socket (only the VM's owner can connect). */
    public Path gdbSocket() {
        return state.gdbSocket();
    }

    /** Loopback TCP port forwarded to the guest's httpd on port 80. */
    public int httpPort() {
        return state.httpPort();
    }

    public Path qmpSocket() {
        return state.qmpSocket();
    }

    /** The second QMP socket, reserved for a guard that resumes the VM when its debugger dies. */
    public Path guardQmpSocket() {
        return state.guardQmpSocket();
    }

    /** The guest's ttyS0 (kernel log, init messages) as a file. */
    public Path serialLog() {
        return state.serialLog();
    }

    /** The registry entry: kernel, accelerator, owner, all paths. */
    public VmState state() {
        return state;
    }

    /** True while QEMU runs. */
    public boolean isRunning() {
        return state.isQemuRunning();
    }

    /** The test console client of this handle (connected on first use, closed by {@link #stop()}/{@link #close()}). */
    public synchronized TestConsole console() {
        if (console == null) {
            console = new TestConsole(state.consoleSocket());
        }
        return console;
    }

    /**
     * The QMP client of this handle on {@link #qmpSocket()}, connected on first use and shared;
     * closed by {@link #stop()}/{@link #close()}.
     *
     * @throws TransportException when QEMU does not greet (another client may hold the socket)
     */
    public synchronized Qmp qmp() {
        if (qmp == null) {
            qmp = Qmp.connect(state.qmpSocket(), Qmp.DEFAULT_TIMEOUT);
        }
        return qmp;
    }

    /**
     * Waits until the guest's test console answers, i.e. {@code /init} has started the services.
     *
     * @return the time from the VM's start to the console's first answer
     * @throws TransportException when the console does not answer in time
     * @throws IllegalStateException when QEMU exits meanwhile
     */
    public Duration awaitBooted(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        TestConsole tc = console();
        while (true) {
            if (!isRunning()) {
                throw new IllegalStateException("VM " + name() + " exited while booting (serial log: " + serialLog() + ")");
            }
            Duration left = Duration.between(Instant.now(), deadline);
            try {
                tc.awaitReady(left.compareTo(Duration.ofSeconds(2)) < 0 ? left : Duration.ofSeconds(2));
                return Duration.between(state.startedAt(), Instant.now());
            } catch (TransportException e) {
                if (!Instant.now().isBefore(deadline)) {
                    throw new TransportException("VM " + name() + " did not boot within " + timeout.toSeconds()
                            + " s (serial log: " + serialLog() + ")", e);
                }
            }
        }
    }

    /**
     * Stops QEMU (QMP {@code quit}, then SIGTERM, then SIGKILL) and removes the registry entry and
     * sockets; the logs stay until the next start of the same name. Idempotent.
     *
     * @throws IllegalStateException when QEMU survives SIGKILL
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        closeConnections();
        if (isRunning()) {
            try (Qmp quitter = Qmp.connect(state.qmpSocket(), Duration.ofSeconds(2))) {
                quitter.quit();
            } catch (TransportException | QmpException e) {
                // QMP is busy or broken; the signals below end QEMU.
            }
            ProcStat.awaitExit(pid(), QUIT_TIMEOUT);
            if (!ProcStat.terminate(pid(), state.vmDir().toString(), TERM_GRACE)) {
                throw new IllegalStateException("QEMU " + pid() + " of VM " + name() + " survives SIGKILL");
            }
        }
        removeRuntimeFiles();
        stopped = true;
        onStopped.accept(name());
    }

    private void closeConnections() {
        if (console != null) {
            console.close();
            console = null;
        }
        if (qmp != null) {
            qmp.close();
            qmp = null;
        }
    }

    private void removeRuntimeFiles() {
        for (Path file : List.of(state.vmDir().resolve(VmState.FILE_NAME), state.gdbSocket(), state.qmpSocket(),
                state.guardQmpSocket(),
                state.consoleSocket(), state.vmDir().resolve("qemu.pid"))) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new IllegalStateException("cannot remove " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Stops the VM when this handle owns it, else closes this handle's connections only. */
    @Override
    public synchronized void close() {
        if (ownedHere) {
            stop();
        } else {
            closeConnections();
        }
    }

    @Override
    public String toString() {
        return "QemuVm[" + name() + ", pid " + pid() + ", gdb unix:" + gdbSocket() + "]";
    }
}
