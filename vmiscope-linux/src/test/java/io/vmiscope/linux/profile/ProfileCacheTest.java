package io.vmiscope.linux.profile;

import io.vmiscope.linux.symbols.KernelSymbol;
import io.vmiscope.linux.symbols.ProfileException;
import io.vmiscope.linux.symbols.StructLayout;
import io.vmiscope.linux.symbols.StructMember;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.vmiscope.linux.profile.IsfProfileReaderTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The on-disk profile cache, exercised with the small ISF fixture so it runs in milliseconds. */
class ProfileCacheTest {

    @TempDir
    Path temp;

    private Path isfCopy() throws IOException {
        return Files.copy(resource("tiny-linux.json.xz"), temp.resolve("tiny-linux.json.xz"));
    }

    private Path cacheDir() {
        return temp.resolve("cache");
    }

    @Test
    void theSecondLoad_hitsTheCache_andReturnsTheSameProfile() throws IOException {
        Path isf = isfCopy();
        ProfileCache cache = ProfileCache.at(cacheDir());

        KernelProfile first = KernelProfiles.load(isf, cache);
        KernelProfile second = KernelProfiles.load(isf, cache);

        assertThat(cache.misses()).isEqualTo(1);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(second).isEqualTo(first);
        assertThat(first).isEqualTo(KernelProfiles.fromIsf(isf));
    }

    @Test
    void aCorruptedEntry_isDiscardedAndRebuilt() throws IOException {
        Path isf = isfCopy();
        KernelProfile original = KernelProfiles.load(isf, ProfileCache.at(cacheDir()));
        Path entry = onlyEntry();
        Files.write(entry, "not a profile".getBytes());

        ProfileCache cache = ProfileCache.at(cacheDir());
        KernelProfile rebuilt = KernelProfiles.load(isf, cache);

        assertThat(rebuilt).isEqualTo(original);
        assertThat(cache.hits()).isZero();
        assertThat(ProfileCache.at(cacheDir()).findByFile(isf)).contains(original);
    }

    @Test
    void aTruncatedEntry_isDiscardedAndRebuilt() throws IOException {
        Path isf = isfCopy();
        KernelProfile original = KernelProfiles.load(isf, ProfileCache.at(cacheDir()));
        Path entry = onlyEntry();
        byte[] bytes = Files.readAllBytes(entry);
        Files.write(entry, Arrays.copyOf(bytes, bytes.length - 9));

        ProfileCache cache = ProfileCache.at(cacheDir());

        assertThat(cache.findByFile(isf)).isEmpty();
        assertThat(entry).doesNotExist();
        assertThat(KernelProfiles.load(isf, cache)).isEqualTo(original);
    }

    @Test
    void aModifiedFile_isNotServedFromTheCache() throws IOException {
        Path isf = isfCopy();
        KernelProfiles.load(isf, ProfileCache.at(cacheDir()));
        Files.setLastModifiedTime(isf, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));

        assertThat(ProfileCache.at(cacheDir()).findByFile(isf)).isEmpty();
    }

    @Test
    void entriesAreWrittenAtomically_leavingNoTemporaryFiles() throws IOException {
        KernelProfiles.load(isfCopy(), ProfileCache.at(cacheDir()));

        try (Stream<Path> files = Files.walk(cacheDir())) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .hasSize(2)
                    .noneMatch(name -> name.contains("tmp") || name.endsWith(".part"));
        }
    }

    @Test
    void theCodec_roundTripsEveryField() throws IOException {
        KernelProfile profile = new KernelProfile("vmlinux (kallsyms+BTF)", "3b43fad5", "Linux version 6.1 ü",
                Map.of("init_task", new KernelSymbol("init_task", 0xffffffff82a1aa40L, 'D'),
                        "_text", new KernelSymbol("_text", 0xffffffff81000000L, 'T')),
                Map.of("list_head", new StructLayout("list_head", 16, List.of(
                                new StructMember("next", 0, 64, "struct list_head *"),
                                new StructMember("prev", 64, 64, "struct list_head *"))),
                        "empty", new StructLayout("empty", 0, List.of())));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ProfileCodec.write(profile, out);

        assertThat(ProfileCodec.read(new ByteArrayInputStream(out.toByteArray()))).isEqualTo(profile);
    }

    @Test
    void aBuildIdThatIsNotHex_isNeverUsedAsAFileName() {
        ProfileCache cache = ProfileCache.at(cacheDir());

        assertThat(cache.findByBuildId("../../etc/passwd")).isEmpty();
        assertThat(cache.misses()).isEqualTo(1);
    }

    @Test
    void theDefaultDirectory_isNamedProfiles() {
        assertThat(ProfileCache.defaultDirectory().getFileName()).hasToString("profiles");
        assertThat(ProfileCache.atDefaultLocation().directory()).isEqualTo(ProfileCache.defaultDirectory().toAbsolutePath());
    }

    @Test
    void loadingAMissingFile_failsWithItsName() {
        Path missing = temp.resolve("nope.json");

        assertThatThrownBy(() -> KernelProfiles.load(missing, ProfileCache.at(cacheDir())))
                .isInstanceOf(ProfileException.class)
                .hasMessageEndingWith("nope.json: no such file");
    }

    @Test
    void loadingSomethingThatIsNeitherJsonNorAKernel_failsAsAKernelImage() throws IOException {
        Path junk = Files.write(temp.resolve("junk.bin"), new byte[4096]);

        assertThatThrownBy(() -> KernelProfiles.load(junk, ProfileCache.at(cacheDir())))
                .isInstanceOf(ProfileException.class)
                .hasMessageStartingWith("junk.bin: not a Linux kernel image");
    }

    private Path onlyEntry() throws IOException {
        try (Stream<Path> files = Files.list(cacheDir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".profile.gz")).findFirst().orElseThrow();
        }
    }
}
