package io.vmiscope.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KVM probe really boots the demo guest's kernel under {@code -accel kvm}, whatever this host has: a
 * stand-in device file opens the gate, then QEMU meets the host's own {@code /dev/kvm} — a working one
 * (usable), none (QEMU exits: unusable) or one that hangs guests (the probe times out: unusable). Either way
 * one verdict is written and the second question is answered from it.
 */
class KvmProbeIT {

    @Test
    void aProbe_runsQemuOnce_writesItsVerdict_andTheSecondCallAnswersFromTheCache(@TempDir Path cache)
            throws Exception {
        Path device = Files.createFile(cache.resolve("kvm"));
        List<String> progress = new ArrayList<>();
        KvmProbe probe = new KvmProbe(device, cache, progress::add);
        Path kernel = TestGuests.image().kernel();

        boolean first = probe.isKvmUsable(kernel);
        int linesOfTheProbe = progress.size();
        long start = System.nanoTime();
        boolean second = probe.isKvmUsable(kernel);
        long secondMillis = (System.nanoTime() - start) / 1_000_000;

        Path verdict = cache.resolve("kvm-probe").resolve(ProcStat.bootId());
        assertThat(verdict).content().isEqualTo(first ? "usable\n" : "unusable\n");
        assertThat(cache.resolve("kvm-probe").resolve("probe-qemu.log")).as("QEMU ran").exists();
        assertThat(progress.get(0)).startsWith("probing whether KVM guests run on this host");
        assertThat(second).isEqualTo(first);
        assertThat(progress).as("the second answer came from the cache").hasSize(linesOfTheProbe);
        assertThat(secondMillis).isLessThan(1_000);
        assertThat(ProcStat.isRunning(QemuLauncher.readPid(cache.resolve("kvm-probe").resolve("probe.pid"))))
                .as("the probe's QEMU is gone").isFalse();
    }
}
