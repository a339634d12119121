package io.vmiscope.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KVM probe's answers that need no QEMU: a missing device, and a verdict cached for this host boot. The
 * kernel passed does not exist, so any attempt to boot it would fail the test.
 */
class KvmProbeTest {

    private static final Path NO_KERNEL = Path.of("/nonexistent/vmlinuz");

    @TempDir
    Path cache;

    private final List<String> progress = new ArrayList<>();

    @Test
    void withoutTheDevice_kvmIsNotUsable_nothingIsProbed_andNoVerdictIsWritten() {
        KvmProbe probe = new KvmProbe(cache.resolve("no-such-kvm-device"), cache, progress::add);

        assertThat(probe.isKvmUsable(NO_KERNEL)).isFalse();
        assertThat(progress).isEmpty();
        assertThat(cache.resolve("kvm-probe")).doesNotExist();
    }

    @Test
    void theLauncher_resolvesAnExplicitAccelerator_withoutProbing() {
        QemuLauncher launcher = new QemuLauncher(cache, progress::add);
        GuestImage missing = new GuestImage(NO_KERNEL, NO_KERNEL, "0-test", List.of(), List.of());

        assertThat(launcher.resolve(Accelerator.TCG, missing)).isEqualTo(Accelerator.TCG);
        assertThat(launcher.resolve(Accelerator.KVM, missing)).isEqualTo(Accelerator.KVM);
        assertThat(cache.resolve("kvm-probe")).doesNotExist();
    }

    @Test
    void aVerdictCachedForThisBoot_isTheAnswer_withoutAProbe() throws Exception {
        Path device = Files.createFile(cache.resolve("kvm"));
        Path verdicts = Files.createDirectories(cache.resolve("kvm-probe"));
        KvmProbe probe = new KvmProbe(device, cache, progress::add);

        Files.writeString(verdicts.resolve(ProcStat.bootId()), "unusable\n");
        assertThat(probe.isKvmUsable(NO_KERNEL)).isFalse();
        Files.writeString(verdicts.resolve(ProcStat.bootId()), "usable\n");
        assertThat(probe.isKvmUsable(NO_KERNEL)).isTrue();

        assertThat(progress).isEmpty();
    }
}
