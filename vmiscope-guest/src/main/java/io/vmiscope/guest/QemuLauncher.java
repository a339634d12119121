package io.vmiscope.guest;

import io.vmiscope.api.Grace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Starts guests under {@code qemu-system-x86_64}: the kernel and initramfs of a
 * {@link GuestImage} (and its root disk, if it has one), user-mode networking with the guest's port 80 forwarded to a free loopback
 * port, virtio-net, the gdbstub and two QMP sockets on Unix sockets, ttyS0 to a log file and
 * ttyS1 (the {@link TestConsole}) on a Unix socket. Runtime files live in {@code CACHE/vms/NAME/}
 * next to the registry entry ({@link VmState}).
 *
 * <p>Only the user who starts a VM can reach its gdbstub, QMP and console: the VM's directory is
 * {@code 0700} and its sockets {@code 0600} ({@link OwnerOnly}), and QEMU runs with umask {@code 077}
 * so that nothing it creates is ever open to others, not even for a moment.
 *
 * <pre>
 *   JVM (owner) ──▶ sh supervisor ──▶ qemu-system-x86_64      (owned VM: dies with its owner)
 *   JVM ──▶ setsid qemu-system-x86_64                         (detached VM: stopped by name)
 * </pre>
 *
 * <p>No QEMU outlives its owner: the supervisor kills it when the owner is gone (even after SIGKILL),
 * a JVM shutdown hook stops the VMs this JVM owns, and every start first reaps registry entries whose
 * owner is gone. Thread-safe; starting two VMs of the same name concurrently is not.
 */
public final class QemuLauncher {

    static final String QEMU = "qemu-system-x86_64";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);
    private static final int START_ATTEMPTS = 3;
    /** sun_path is 108 bytes including the terminating NUL. */
    private static final int MAX_SOCKET_PATH_BYTES = 107;
    private static final Map<String, QemuVm> OWNED_HERE = new ConcurrentHashMap<>();
    /** How long the shutdown hook waits for a VM's owner to stop it before stopping it itself. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(3);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(QemuLauncher::stopOwnedVms, "vmiscope-qemu-shutdown"));
    }

    private final Path cacheDir;
    private final Consumer<String> progress;
    private final VmRegistry registry;

    /** @param progress receives one line per step, for the user */
    public QemuLauncher(Path cacheDir, Consumer<String> progress) {
        this.cacheDir = cacheDir;
        this.progress = progress;
        this.registry = new VmRegistry(cacheDir);
    }

    /** A launcher on the default cache reporting progress on standard error. */
    public static QemuLauncher withDefaults() {
        return new QemuLauncher(DebianPackages.defaultCacheDir(), System.err::println);
    }

    public VmRegistry registry() {
        return registry;
    }

    /** Starts a VM owned by this JVM; see {@link #start(GuestImage, VmOptions, VmOwner)}. */
    public QemuVm start(GuestImage image, VmOptions options) {
        return start(image, options, VmOwner.currentJvm());
    }

    /** Starts a VM that outlives this JVM, until {@link QemuVm#stop()} (e.g. {@code guest stop NAME}). */
    public QemuVm startDetached(GuestImage image, VmOptions options) {
        return start(image, options, VmOwner.detached());
    }

    /**
     * Starts a VM and returns once QEMU runs (the guest is still booting: see
     * {@link QemuVm#awaitBooted(Duration)}). Reaps stale VMs first.
     *
     * @throws IllegalStateException when a VM of that name runs, or QEMU does not start (the message
     *                               carries QEMU's last output line); nothing is left running then
     */
    public QemuVm start(GuestImage image, VmOptions options, VmOwner owner) {
        registry.reapStale().forEach(name -> progress.accept("reaped stale VM " + name));
        registry.find(options.name()).ifPresent(vm -> {
            throw new IllegalStateException("VM " + options.name() + " is already running (pid " + vm.pid()
                    + "); stop it first");
        });
        Accelerator accelerator = resolve(options.accelerator(), image);
        Path vmDir = registry.vmDir(options.name());
        prepare(vmDir);
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return launch(image, options, owner, accelerator, vmDir);
            } catch (PortTakenException e) {
                last = e;
            }
        }
        throw last;
    }

    /** The accelerator {@code requested} means on this host ({@link Accelerator#AUTO} probes once per host boot). */
    public Accelerator resolve(Accelerator requested, GuestImage image) {
        if (requested != Accelerator.AUTO) {
            return requested;
        }
        boolean usable = new KvmProbe(Path.of(KvmProbe.KVM_DEVICE_PATH), cacheDir, progress).isKvmUsable(image.kernel());
        return usable ? Accelerator.KVM : Accelerator.TCG;
    }

    private QemuVm launch(GuestImage image, VmOptions options, VmOwner owner, Accelerator accelerator, Path vmDir) {
        int httpPort = freePort();
        Path gdb = vmDir.resolve("gdb.sock");
        Path qmp = vmDir.resolve("qmp.sock");
        Path guardQmp = vmDir.resolve("guard.sock");
        Path console = vmDir.resolve("console.sock");
        Path serialLog = vmDir.resolve("serial0.log");
        Path qemuLog = vmDir.resolve("qemu.log");
        Path pidFile = vmDir.resolve("qemu.pid");
        deleteAll(List.of(gdb, qmp, guardQmp, console, serialLog, qemuLog, pidFile));

        List<String> command = new ArrayList<>(List.of(QEMU, "-name", "vmiscope-" + options.name(),
                "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                "-accel", accelerator == Accelerator.KVM ? "kvm" : "tcg"));
        if (accelerator == Accelerator.KVM) {
            command.addAll(List.of("-cpu", "host"));
        }
        command.addAll(List.of(
                "-m", Integer.toString(options.memoryMb()), "-smp", Integer.toString(options.vcpus()),
                "-kernel", image.kernel().toString(), "-initrd", image.initrd().toString(),
                "-append", options.kernelCommandLine(),
                "-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:" + httpPort + "-:80",
                "-device", "virtio-net-pci,netdev=n0",
                "-gdb", "unix:" + gdb + ",server=on,wait=off",
                "-qmp", "unix:" + qmp + ",server=on,wait=off",
                "-qmp", "unix:" + guardQmp + ",server=on,wait=off",
                "-chardev", "file,id=s0,path=" + serialLog, "-serial", "chardev:s0",
                "-chardev", "socket,id=tc,path=" + console + ",server=on,wait=off", "-serial", "chardev:tc",
                "-pidfile", pidFile.toString()));

        image.rootDisk().ifPresent(disk -> command.addAll(rootDiskArguments(disk)));

        progress.accept("starting VM " + options.name() + " (" + accelerator.name().toLowerCase(Locale.ROOT)
                + ", " + options.vcpus() + " vCPU, " + options.memoryMb() + " MiB, KASLR "
                + (options.kaslr() ? "on" : "off") + ")");
        long startedMillis = System.currentTimeMillis();
        Process process = Supervisor.start(command, owner, qemuLog);
        List<Path> sockets = List.of(gdb, qmp, guardQmp, console);
        long qemuPid = awaitQemu(process, pidFile, sockets, qemuLog, vmDir);
        VmState state = new VmState(options.name(), vmDir, qemuPid, process.pid(), owner.pid(), owner.startTicks(),
                gdb, httpPort, qmp, guardQmp, console, serialLog, qemuLog, image.kernel(), image.initrd(),
                image.kernelVersion(), accelerator, options.kaslr(), options.vcpus(), options.memoryMb(),
                startedMillis);
        try {
            sockets.forEach(OwnerOnly::socket);
            state.write();
        } catch (UncheckedIOException e) {
            ProcStat.terminate(qemuPid, vmDir.toString(), Duration.ofSeconds(2));
            throw e;
        }
        boolean ownedHere = owner.equals(VmOwner.currentJvm());
        QemuVm vm = new QemuVm(state, ownedHere, OWNED_HERE::remove);
        if (ownedHere) {
            OWNED_HERE.put(options.name(), vm);
        }
        return vm;
    }

    /**
     * The root disk on virtio-blk ({@code /dev/vda}) with {@code snapshot=on}: the VM's writes go to a
     * temporary file QEMU deletes, so the cached image stays as built and VMs can share it.
     */
    static List<String> rootDiskArguments(Path disk) {
        if (disk.toString().contains(",")) {
            throw new IllegalArgumentException("QEMU cannot take a disk path with a comma: " + disk);
        }
        return List.of("-drive", "file=" + disk + ",format=raw,if=virtio,snapshot=on");
    }

    /** Waits for QEMU's pid file and sockets; on failure nothing of this start is left running. */
    private static long awaitQemu(Process process, Path pidFile, List<Path> sockets, Path qemuLog, Path vmDir) {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            long pid = readPid(pidFile);
            if (pid > 0 && sockets.stream().allMatch(Files::exists)) {
                return pid;
            }
            if (!process.isAlive()) {
                String last = lastLine(qemuLog);
                if (last.contains("Address already in use") || last.contains("Failed to bind")
                        || last.contains("host forwarding")) {
                    throw new PortTakenException(last);
                }
                throw new IllegalStateException("QEMU exited at start: " + last + " (log: " + qemuLog + ")");
            }
            sleep(Duration.ofMillis(20));
        }
        killFromPidFile(pidFile, vmDir.toString());
        process.destroyForcibly();
        throw new IllegalStateException("QEMU did not start within " + STARTUP_TIMEOUT.toSeconds() + " s (log: "
                + qemuLog + ")");
    }

    /**
     * The shutdown hook: stops every VM this JVM owns, each on its own even when another fails. It first
     * gives the code that owns a VM {@link #SHUTDOWN_GRACE} to close it itself: on Ctrl-C or SIGTERM the
     * JVM's other threads go on, and a monitor still detaching (resume, remove breakpoints) from a VM that
     * this hook killed under it would end with a broken connection instead of a clean exit.
     */
    private static void stopOwnedVms() {
        Grace.await(OWNED_HERE::isEmpty, SHUTDOWN_GRACE);
        for (QemuVm vm : List.copyOf(OWNED_HERE.values())) {
            try {
                vm.stop();
            } catch (RuntimeException e) {
                System.err.println("vmiscope: cannot stop VM " + vm.name() + ": " + e.getMessage());
            }
        }
    }

    /** Kills the process named in a QEMU pid file, if its command line still contains {@code marker}. */
    static void killFromPidFile(Path pidFile, String marker) {
        long pid = readPid(pidFile);
        if (pid > 0) {
            ProcStat.terminate(pid, marker, Duration.ofMillis(500));
        }
    }

    /** The pid in a QEMU pid file; -1 when there is none (yet) or it holds no number. */
    static long readPid(Path pidFile) {
        try {
            String text = Files.readString(pidFile).strip();
            return text.isEmpty() ? -1 : Long.parseLong(text);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static String lastLine(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank())
                    .reduce((a, b) -> b).orElse("(no output)");
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void prepare(Path vmDir) {
        OwnerOnly.directory(vmDir);
        int longest = vmDir.resolve("console.sock").toString().getBytes(StandardCharsets.UTF_8).length;
        if (longest > MAX_SOCKET_PATH_BYTES) {
            throw new IllegalStateException("socket paths under " + vmDir + " exceed " + MAX_SOCKET_PATH_BYTES
                    + " bytes; use a shorter VMISCOPE_CACHE or VM name");
        }
    }

    private static void deleteAll(List<Path> files) {
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port: " + e.getMessage(), e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting QEMU", e);
        }
    }

    /** A port picked as free was taken before QEMU bound it; the start is retried with new ports. */
    private static final class PortTakenException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortTakenException(String message) {
            super("QEMU could not bind its port: " + message);
        }
    }
}
