package io.vmiscope.linux.profile;

import io.vmiscope.guest.CloudKernel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Profiles of Debian's real cloud kernel: built from kallsyms + BTF, then served from the cache. */
class KernelProfilesRealKernelTest {

    private static Path vmlinuz;

    @TempDir
    Path cacheDir;

    @BeforeAll
    static void fetchKernel() {
        vmlinuz = CloudKernel.fetchDefault().vmlinuz();
    }

    @Test
    void aProfileFromTheImage_hasSymbolsStructsBannerAndBuildId() {
        KernelProfile profile = KernelProfiles.fromKernelImage(vmlinuz);

        assertThat(profile.source()).isEqualTo(vmlinuz.getFileName() + " (kallsyms+BTF)");
        assertThat(profile.buildId()).matches("[0-9a-f]{40}");
        assertThat(profile.banner()).startsWith("Linux version 6.1.");
        assertThat(profile.symbol("init_task")).isNegative();
        assertThat(profile.symbols()).hasSizeGreaterThan(50_000);
        assertThat(profile.offset("task_struct", "comm")).isPositive();
        assertThat(profile.struct("list_head").sizeBytes()).isEqualTo(16);
    }

    @Test
    void theSecondLoad_comesFromTheCache_muchFaster_withTheSameContent() {
        long start = System.nanoTime();
        KernelProfile first = KernelProfiles.load(vmlinuz, ProfileCache.at(cacheDir));
        long firstNanos = System.nanoTime() - start;

        ProfileCache fresh = ProfileCache.at(cacheDir);
        start = System.nanoTime();
        KernelProfile second = KernelProfiles.load(vmlinuz, fresh);
        long secondNanos = System.nanoTime() - start;
        System.out.printf("profile of %s: first load %.0f ms, cached load %.0f ms%n", vmlinuz.getFileName(),
                firstNanos / 1e6, secondNanos / 1e6);

        assertThat(fresh.hits()).isEqualTo(1);
        assertThat(second).isEqualTo(first);
        assertThat(secondNanos).isLessThan(firstNanos / 2);
    }

    @Test
    void aKnownBuildId_isFoundInTheCacheEvenFromAnotherPath() throws IOException {
        KernelProfile original = KernelProfiles.fromKernelImage(vmlinuz, ProfileCache.at(cacheDir));
        Path copy = Files.copy(vmlinuz, cacheDir.resolve("copy-of-vmlinuz"));

        ProfileCache cache = ProfileCache.at(cacheDir);
        KernelProfile viaBuildId = KernelProfiles.fromKernelImage(copy, cache);
        KernelProfile viaFile = KernelProfiles.fromKernelImage(copy, cache);

        assertThat(viaBuildId).isEqualTo(original);
        assertThat(viaFile).isEqualTo(original);
        assertThat(cache.hits()).isEqualTo(2);
    }

    @Test
    void aCorruptedCacheEntry_isRebuilt() throws IOException {
        KernelProfile original = KernelProfiles.fromKernelImage(vmlinuz, ProfileCache.at(cacheDir));
        Path entry = cacheDir.resolve(original.buildId() + ".profile.gz");
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(entry, bytes);

        ProfileCache cache = ProfileCache.at(cacheDir);
        KernelProfile rebuilt = KernelProfiles.fromKernelImage(vmlinuz, cache);

        assertThat(rebuilt).isEqualTo(original);
        assertThat(cache.hits()).isZero();
        assertThat(ProfileCache.at(cacheDir).findByBuildId(original.buildId())).contains(original);
    }
}
