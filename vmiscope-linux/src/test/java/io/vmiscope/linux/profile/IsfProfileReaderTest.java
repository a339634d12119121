package io.vmiscope.linux.profile;

import io.vmiscope.linux.symbols.ProfileException;
import io.vmiscope.linux.symbols.StructLayout;
import io.vmiscope.linux.symbols.StructMember;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** Reading the hand-written ISF fixture (dwarf2json's shape) and rejecting what is not ISF. */
class IsfProfileReaderTest {

    @TempDir
    Path temp;

    static Path resource(String name) {
        try {
            return Path.of(IsfProfileReaderTest.class.getResource("/isf/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void symbols_keepTheirUnsignedLinkTimeAddresses() {
        KernelProfile profile = IsfProfileReader.read(resource("tiny-linux.json"));

        assertThat(profile.symbol("init_task")).isEqualTo(0xffffffff82a1aa40L);
        assertThat(profile.symbol("__x64_sys_openat")).isEqualTo(0xffffffff8134a9e0L);
        assertThat(profile.symbols()).hasSize(4);
        assertThat(profile.symbols().get("init_task").type()).isEqualTo('?');
    }

    @Test
    void metadata_givesSourceAndTheBannerComesFromLinuxBannerConstantData() {
        KernelProfile profile = IsfProfileReader.read(resource("tiny-linux.json"));

        assertThat(profile.source()).isEqualTo(
                "tiny-linux.json (ISF by dwarf2json 0.8.0 from System.map-6.1.0-test-amd64)");
        assertThat(profile.buildId()).isEmpty();
        assertThat(profile.banner()).isEqualTo("Linux version 6.1.0-test-amd64 (debian-kernel@lists.debian.org)"
                + " (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.0-1 (2025-01-01)");
    }

    @Test
    void taskStruct_hasEveryFieldInOffsetOrder_withTheAnonymousUnionFlattened() {
        StructLayout task = IsfProfileReader.read(resource("tiny-linux.json")).struct("task_struct");

        assertThat(task.sizeBytes()).isEqualTo(152);
        assertThat(task.members()).containsExactly(
                new StructMember("__state", 192, 32, "unsigned int"),
                new StructMember("flags", 352, 32, "unsigned int"),
                new StructMember("rcu", 384, 128, "struct list_head"),
                new StructMember("rcu_users", 384, 32, "unsigned int"),
                new StructMember("tasks", 512, 128, "struct list_head"),
                new StructMember("sched_reset_on_fork", 640, 1, "unsigned int"),
                new StructMember("in_execve", 642, 1, "unsigned int"),
                new StructMember("pid", 672, 32, "int"),
                new StructMember("tgid", 704, 32, "int"),
                new StructMember("real_parent", 768, 64, "struct task_struct *"),
                new StructMember("mm", 832, 64, "struct mm_struct *"),
                new StructMember("cred", 896, 64, "struct cred *"),
                new StructMember("comm", 960, 128, "char[16]"),
                new StructMember("start_time", 1088, 64, "long long unsigned int"),
                new StructMember("pid_kind", 1152, 32, "enum pid_type"));
    }

    @Test
    void nestedAnonymousStructsAndUnions_areFlattenedAndUnnamedTypesAreNotExported() {
        KernelProfile profile = IsfProfileReader.read(resource("tiny-linux.json"));

        assertThat(profile.structs()).containsOnlyKeys("task_struct", "mm_struct", "cred", "list_head");
        assertThat(profile.struct("mm_struct").members()).containsExactly(
                new StructMember("mmap_base", 0, 64, "long unsigned int"),
                new StructMember("pgd", 64, 64, "struct {...} *"),
                new StructMember("map_count", 128, 32, "int"),
                new StructMember("total_vm", 128, 64, "long unsigned int"),
                new StructMember("arg_start", 320, 64, "long unsigned int"),
                new StructMember("arg_end", 384, 64, "long unsigned int"),
                new StructMember("cpu_bitmap", 448, 0, "long unsigned int[0]"));
        assertThat(profile.struct("cred").members()).extracting(StructMember::name, StructMember::typeName)
                .containsExactly(
                        tuple("usage", "int"),
                        tuple("uid", "struct {...}"),
                        tuple("gid", "struct {...}"),
                        tuple("securebits", "unsigned int"));
        assertThat(profile.offset("mm_struct", "arg_start")).isEqualTo(40);
    }

    @Test
    void xzAndGzipCompressedCopies_readTheSameAsThePlainFile() throws IOException {
        KernelProfile plain = IsfProfileReader.read(resource("tiny-linux.json"));
        Path gz = temp.resolve("tiny-linux.json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(resource("tiny-linux.json"), out);
        }

        KernelProfile xz = IsfProfileReader.read(resource("tiny-linux.json.xz"));
        KernelProfile gzip = IsfProfileReader.read(gz);

        assertThat(xz.structs()).isEqualTo(plain.structs());
        assertThat(xz.symbols()).isEqualTo(plain.symbols());
        assertThat(gzip.structs()).isEqualTo(plain.structs());
        assertThat(xz.source()).startsWith("tiny-linux.json.xz ");
    }

    @Test
    void jsonWithoutUserTypes_isNotAnIsfFile() {
        assertThatThrownBy(() -> IsfProfileReader.read(resource("not-isf.json")))
                .isInstanceOf(ProfileException.class)
                .hasMessage("not-isf.json: not a Volatility ISF file (no user_types)");
    }

    @Test
    void malformedJson_isNotAnIsfFile() throws IOException {
        Path broken = Files.writeString(temp.resolve("broken.json"), "{\"user_types\": {\"a\": [1, 2,,]}}");

        assertThatThrownBy(() -> IsfProfileReader.read(broken))
                .isInstanceOf(ProfileException.class)
                .hasMessageStartingWith("broken.json: not a Volatility ISF file (invalid JSON at line 1");
    }

    @Test
    void binaryGarbage_isNotAnIsfFile() throws IOException {
        Path garbage = Files.write(temp.resolve("garbage.json"), new byte[] {0x7f, 'E', 'L', 'F', 0, 1, 2, 3});

        assertThatThrownBy(() -> IsfProfileReader.read(garbage))
                .isInstanceOf(ProfileException.class)
                .hasMessageStartingWith("garbage.json: not a Volatility ISF file");
        assertThat(IsfProfileReader.looksLikeIsf(garbage)).isFalse();
        assertThat(IsfProfileReader.looksLikeIsf(resource("tiny-linux.json.xz"))).isTrue();
    }

    @Test
    void deeplyNestedJson_isRejectedByTheNestingLimit() throws IOException {
        String deep = "{\"user_types\": {\"a\": " + "[".repeat(5000) + "]".repeat(5000) + "}}";
        Path file = Files.writeString(temp.resolve("deep.json"), deep, StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> IsfProfileReader.read(file))
                .isInstanceOf(ProfileException.class)
                .hasMessageStartingWith("deep.json: ");
    }

    @Test
    void anonymousMemberCycles_areRejectedByTheNestingLimit() throws IOException {
        String cyclic = """
                {"metadata": {}, "base_types": {}, "enums": {}, "symbols": {},
                 "user_types": {
                   "outer": {"kind": "struct", "size": 8, "fields": {
                     "unnamed_field_0": {"type": {"kind": "struct", "name": "unnamed_0123456789abcdef"},
                                          "offset": 0, "anonymous": true}}},
                   "unnamed_0123456789abcdef": {"kind": "struct", "size": 8, "fields": {
                     "unnamed_field_0": {"type": {"kind": "struct", "name": "unnamed_0123456789abcdef"},
                                          "offset": 0, "anonymous": true}}}}}
                """;
        Path file = Files.writeString(temp.resolve("cyclic.json"), cyclic);

        assertThatThrownBy(() -> IsfProfileReader.read(file))
                .isInstanceOf(ProfileException.class)
                .hasMessageContaining("nested deeper than");
    }

    @Test
    void aFieldBeyondItsStruct_isCorrupt() throws IOException {
        String bad = """
                {"user_types": {"s": {"kind": "struct", "size": 4, "fields": {
                   "x": {"type": {"kind": "base", "name": "int"}, "offset": 400}}}}}
                """;
        Path file = Files.writeString(temp.resolve("bad.json"), bad);

        assertThatThrownBy(() -> IsfProfileReader.read(file))
                .isInstanceOf(ProfileException.class)
                .hasMessage("bad.json: corrupt ISF file: field s.x at offset 400 lies beyond its type's size 4");
    }
}
