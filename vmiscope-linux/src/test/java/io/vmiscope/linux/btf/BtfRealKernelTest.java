package io.vmiscope.linux.btf;

import io.vmiscope.guest.CloudKernel;
import io.vmiscope.linux.image.KernelImage;
import io.vmiscope.linux.symbols.StructLayout;
import io.vmiscope.linux.symbols.StructMember;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The BTF of Debian's real cloud kernel, read through {@link KernelImage} from its bzImage. */
class BtfRealKernelTest {

    private static ByteBuffer section;
    private static Btf btf;
    private static Map<String, StructLayout> structs;

    @BeforeAll
    static void parseTheRealKernel() {
        KernelImage image = KernelImage.open(CloudKernel.fetchDefault().vmlinuz());
        section = image.section(".BTF").orElseThrow();
        btf = Btf.parse(section);
        structs = btf.structs();
    }

    @Test
    void parsing_isWellUnderASecond() {
        Btf.parse(section).structs();
        long start = System.nanoTime();
        Btf parsed = Btf.parse(section);
        long parsedAt = System.nanoTime();
        Map<String, StructLayout> layouts = parsed.structs();
        long done = System.nanoTime();
        System.out.printf("BTF of %d bytes: %d types parsed in %.1f ms, %d struct layouts in %.1f ms%n",
                section.remaining(), parsed.typeCount(), (parsedAt - start) / 1e6, layouts.size(),
                (done - parsedAt) / 1e6);

        assertThat(done - start).isLessThan(1_000_000_000L);
        assertThat(parsed.typeCount()).isGreaterThan(50_000);
        assertThat(layouts.size()).isGreaterThan(5_000);
    }

    @Test
    void taskStruct_hasTheMembersIntrospectionNeeds_atPlausibleOffsets() {
        StructLayout task = structs.get("task_struct");

        assertThat(task.byName()).containsKeys("tasks", "pid", "tgid", "real_parent", "comm", "cred", "mm",
                "start_time", "__state", "flags");
        assertThat(task.member("comm").orElseThrow()).extracting(StructMember::typeName, StructMember::sizeBits)
                .containsExactly("char[16]", 128L);
        assertThat(task.member("tasks").orElseThrow().typeName()).isEqualTo("struct list_head");
        assertThat(task.member("cred").orElseThrow().typeName()).isEqualTo("struct cred *");
        assertThat(task.member("real_parent").orElseThrow().typeName()).isEqualTo("struct task_struct *");
        assertThat(task.member("mm").orElseThrow().typeName()).isEqualTo("struct mm_struct *");
        assertThat(task.member("pid").orElseThrow().sizeBits()).isEqualTo(32);
        assertThat(task.member("__state").orElseThrow().sizeBits()).isEqualTo(32);
        for (StructMember m : task.members()) {
            assertThat(m.offsetBits() + m.sizeBits()).as(m.name()).isLessThanOrEqualTo(task.sizeBytes() * 8);
        }
        assertThat(task.offsetOf("pid") + 4).isEqualTo(task.offsetOf("tgid"));
        assertThat(task.offsetOf("tasks")).isBetween(8L, task.sizeBytes() - 16);
    }

    @Test
    void mmStruct_membersInsideItsAnonymousStruct_resolveDirectly() {
        StructLayout mm = structs.get("mm_struct");

        assertThat(mm.byName()).containsKeys("pgd", "arg_start", "arg_end");
        assertThat(mm.offsetOf("arg_end")).isEqualTo(mm.offsetOf("arg_start") + 8);
        assertThat(mm.member("pgd").orElseThrow().typeName()).isEqualTo("pgd_t *");
        assertThat(mm.offsetOf("arg_end")).isLessThan(mm.sizeBytes());
    }

    @Test
    void credAndListHead_haveTheirKnownShapes() {
        StructLayout cred = structs.get("cred");
        StructLayout listHead = structs.get("list_head");

        assertThat(cred.byName()).containsKeys("uid", "gid", "euid");
        assertThat(cred.offsetOf("gid")).isEqualTo(cred.offsetOf("uid") + 4);
        assertThat(listHead.sizeBytes()).isEqualTo(16);
        assertThat(listHead.members()).containsExactly(
                new StructMember("next", 0, 64, "struct list_head *"),
                new StructMember("prev", 64, 64, "struct list_head *"));
    }

    @Test
    void enums_includeTheKernelsPidTypes() {
        assertThat(btf.enums().get("pid_type")).containsEntry("PIDTYPE_PID", 0L).containsEntry("PIDTYPE_TGID", 1L);
    }
}
