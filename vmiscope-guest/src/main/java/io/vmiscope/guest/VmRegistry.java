package io.vmiscope.guest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The VMs vmiscope started, found by name from their state files ({@code CACHE/vms/NAME/vm.json}),
 * so that {@code guest status|stop|console} and {@code ps --vm NAME} reach a VM started by another
 * process. Liveness is checked against {@code /proc} (pid, and QEMU's command line naming the VM's
 * directory). Thread-safe: every call reads the files afresh.
 */
public final class VmRegistry {

    private final Path vmsDir;

    public VmRegistry(Path cacheDir) {
        this.vmsDir = cacheDir.resolve("vms");
    }

    /** The registry on the default cache. */
    public static VmRegistry withDefaults() {
        return new VmRegistry(DebianPackages.defaultCacheDir());
    }

    /** The runtime directory of VM {@code name}. */
    public Path vmDir(String name) {
        return vmsDir.resolve(name);
    }

    /** Every registry entry, running or not, sorted by name; unreadable entries are skipped. */
    public List<VmState> entries() {
        if (!Files.isDirectory(vmsDir)) {
            return List.of();
        }
        List<VmState> states = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(vmsDir)) {
            for (Path file : dirs.map(d -> d.resolve(VmState.FILE_NAME)).filter(Files::isRegularFile).toList()) {
                try {
                    states.add(VmState.read(file));
                } catch (UncheckedIOException e) {
                    // Half-written or foreign file: not a VM this registry can manage.
                    continue;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + vmsDir + ": " + e.getMessage(), e);
        }
        states.sort(Comparator.comparing(VmState::name));
        return List.copyOf(states);
    }

    /** The entries whose QEMU runs. */
    public List<VmState> running() {
        return entries().stream().filter(VmState::isQemuRunning).toList();
    }

    /** A handle to the running VM {@code name}; closing it leaves the VM running. */
    public Optional<QemuVm> find(String name) {
        Path file = vmDir(name).resolve(VmState.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        VmState state = VmState.read(file);
        return state.isQemuRunning() ? Optional.of(new QemuVm(state, false, n -> { })) : Optional.empty();
    }

    /**
     * Kills VMs whose owner is gone (their supervisor died with it, or failed) and removes entries
     * whose QEMU no longer runs. Detached VMs with a running QEMU are left alone.
     *
     * @return the names of the VMs reaped or cleaned up
     */
    public List<String> reapStale() {
        List<String> reaped = new ArrayList<>();
        for (VmState state : entries()) {
            boolean running = state.isQemuRunning();
            if (running && state.owner().isAlive()) {
                continue;
            }
            new QemuVm(state, false, n -> { }).stop();
            reaped.add(state.name());
        }
        return List.copyOf(reaped);
    }
}
