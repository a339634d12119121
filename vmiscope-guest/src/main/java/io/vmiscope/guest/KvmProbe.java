package io.vmiscope.guest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Decides whether KVM really runs a guest on this host. {@code /dev/kvm} opening is not enough: where
 * nested KVM is broken a KVM guest hangs without a byte of output. The probe boots the kernel without
 * an initramfs under KVM and waits for it to reach the root mount (where it panics and QEMU exits).
 * The verdict is cached per host boot ({@code /proc/sys/kernel/random/boot_id}) under
 * {@code CACHE/kvm-probe/}. Without a device this process may open for reading and writing the answer is
 * no at once: nothing is run and no verdict is written. The device path is only that gate: QEMU itself
 * always opens {@value #KVM_DEVICE_PATH}, so a stand-in device (tests) still makes a real KVM probe boot.
 * Not thread-safe; concurrent probes only duplicate work.
 */
final class KvmProbe {

    /** The host's KVM device. */
    static final String KVM_DEVICE_PATH = "/dev/kvm";

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> REACHED_ROOT_MOUNT = List.of("VFS:", "Kernel panic", "Freeing unused kernel");

    private final Path device;
    private final Path cacheDir;
    private final Consumer<String> progress;

    /**
     * @param device   the KVM device whose absence answers no without a probe ({@value #KVM_DEVICE_PATH})
     * @param cacheDir where {@code kvm-probe/} keeps the verdicts and the probe's logs
     * @param progress receives one line when a probe starts and one with its verdict
     */
    KvmProbe(Path device, Path cacheDir, Consumer<String> progress) {
        this.device = device;
        this.cacheDir = cacheDir;
        this.progress = progress;
    }

    /**
     * Whether KVM guests run here: no when the device is missing; else the verdict cached for this host
     * boot, or a probe boot of {@code kernel} under KVM (at most 10 s) whose verdict is then cached.
     *
     * @throws UncheckedIOException when the cache directory cannot be written
     */
    boolean isKvmUsable(Path kernel) {
        if (!Files.isReadable(device) || !Files.isWritable(device)) {
            return false;
        }
        Path dir = cacheDir.resolve("kvm-probe");
        Path verdict = dir.resolve(ProcStat.bootId());
        try {
            if (Files.isRegularFile(verdict)) {
                return Files.readString(verdict).strip().equals("usable");
            }
            Files.createDirectories(dir);
            progress.accept("probing whether KVM guests run on this host (once per host boot)");
            boolean usable = probe(kernel, dir);
            Files.writeString(verdict, usable ? "usable\n" : "unusable\n");
            progress.accept(usable ? "KVM works: using it" : "KVM guests do not run here: using TCG");
            return usable;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean probe(Path kernel, Path dir) throws IOException {
        Path serial = dir.resolve("probe-serial.log");
        Path pidFile = dir.resolve("probe.pid");
        Files.deleteIfExists(serial);
        Files.deleteIfExists(pidFile);
        List<String> command = List.of(QemuLauncher.QEMU, "-name", "vmiscope-kvm-probe",
                "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                "-accel", "kvm", "-cpu", "host", "-m", "128",
                "-kernel", kernel.toString(), "-append", "console=ttyS0 panic=-1",
                "-chardev", "file,id=s0,path=" + serial, "-serial", "chardev:s0", "-pidfile", pidFile.toString());
        Process process = Supervisor.start(command, VmOwner.currentJvm(), dir.resolve("probe-qemu.log"));
        Instant deadline = Instant.now().plus(PROBE_TIMEOUT);
        try {
            while (Instant.now().isBefore(deadline)) {
                if (Files.isRegularFile(serial)) {
                    String text = new String(Files.readAllBytes(serial), StandardCharsets.UTF_8);
                    if (REACHED_ROOT_MOUNT.stream().anyMatch(text::contains)) {
                        return true;
                    }
                }
                if (!process.isAlive()) {
                    return false;
                }
                Thread.sleep(100);
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            QemuLauncher.killFromPidFile(pidFile, "vmiscope-kvm-probe");
            process.destroyForcibly();
        }
    }
}
