package io.vmiscope.linux.btf;

import io.vmiscope.linux.btf.BtfBlob.Member;
import io.vmiscope.linux.symbols.StructLayout;
import io.vmiscope.linux.symbols.StructMember;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Layouts from small hand-built BTF blobs, checked member by member. */
class BtfTest {

    @Test
    void bitfields_withKindFlag_getTheirBitOffsetAndWidth() {
        BtfBlob b = new BtfBlob();
        int uint = b.integer("unsigned int", 4, false);
        int sint = b.integer("int", 4, true);
        b.struct("flags", 8, true,
                new Member("a", uint, 0, 3),
                new Member("b", uint, 3, 5),
                new Member("c", sint, 32, 0));

        StructLayout flags = Btf.parse(b.buffer()).structs().get("flags");

        assertThat(flags.sizeBytes()).isEqualTo(8);
        assertThat(flags.members()).containsExactly(
                new StructMember("a", 0, 3, "unsigned int"),
                new StructMember("b", 3, 5, "unsigned int"),
                new StructMember("c", 32, 32, "int"));
        assertThat(flags.member("b").orElseThrow().isBitfield()).isTrue();
        assertThat(flags.member("c").orElseThrow().isBitfield()).isFalse();
    }

    @Test
    void bitfields_inTheOldIntEncoding_takeWidthAndOffsetFromTheInt() {
        BtfBlob b = new BtfBlob();
        int threeBits = b.integer("unsigned int", 4, false, 1, 3);
        b.struct("old", 4, false, Member.of("x", threeBits, 4));

        assertThat(Btf.parse(b.buffer()).structs().get("old").members())
                .containsExactly(new StructMember("x", 5, 3, "unsigned int"));
    }

    @Test
    void anonymousStructsAndUnions_areFlattenedWithAdjustedOffsets() {
        BtfBlob b = new BtfBlob();
        int sint = b.integer("int", 4, true);
        int slong = b.integer("long int", 8, true);
        int chr = b.integer("char", 1, true);
        int anonUnion = b.union("", 8, Member.of("x", sint, 0), Member.of("y", slong, 0));
        int inner = b.struct("", 8, false, Member.of("p", sint, 0), Member.of("q", sint, 32));
        int anonStructWithNested = b.struct("", 16, false, Member.of("r", sint, 0), Member.of("", inner, 64));
        int comm = b.array(chr, sint, 16);
        b.struct("task", 56, false,
                Member.of("state", sint, 0),
                Member.of("", anonUnion, 64),
                Member.of("", anonStructWithNested, 128),
                Member.of("comm", comm, 256),
                Member.of("", sint, 384));

        StructLayout task = Btf.parse(b.buffer()).structs().get("task");

        assertThat(task.members()).containsExactly(
                new StructMember("state", 0, 32, "int"),
                new StructMember("x", 64, 32, "int"),
                new StructMember("y", 64, 64, "long int"),
                new StructMember("r", 128, 32, "int"),
                new StructMember("p", 192, 32, "int"),
                new StructMember("q", 224, 32, "int"),
                new StructMember("comm", 256, 128, "char[16]"));
        assertThat(task.offsetOf("q")).isEqualTo(28);
    }

    @Test
    void typedefChainsAndQualifiers_areFollowedToTheUnderlyingType() {
        BtfBlob b = new BtfBlob();
        int sint = b.integer("int", 4, true);
        int kernelPid = b.typedef("__kernel_pid_t", sint);
        int pid = b.typedef("pid_t", kernelPid);
        int cv = b.qualifier(BtfKind.CONST, b.qualifier(BtfKind.VOLATILE, pid));
        int counter = b.struct("", 4, false, Member.of("counter", sint, 0));
        int atomic = b.typedef("atomic_t", counter);
        int constAtomic = b.qualifier(BtfKind.CONST, atomic);
        b.struct("ids", 12, false,
                Member.of("pid", pid, 0),
                Member.of("tgid", cv, 32),
                Member.of("usage", constAtomic, 64));

        Btf btf = Btf.parse(b.buffer());

        assertThat(btf.structs().get("ids").members()).containsExactly(
                new StructMember("pid", 0, 32, "int"),
                new StructMember("tgid", 32, 32, "int"),
                new StructMember("usage", 64, 32, "atomic_t"));
        assertThat(btf.structs()).doesNotContainKey("");
    }

    @Test
    void selfReferencingPointers_nameTheirStructWithoutLooping() {
        BtfBlob b = new BtfBlob();
        int self = b.nextId();
        b.struct("node", 16, false, Member.of("next", self + 1, 0), Member.of("pprev", self + 2, 64));
        int ptr = b.pointer(self);
        b.pointer(ptr);

        Btf btf = Btf.parse(b.buffer());

        assertThat(btf.structs().get("node").members()).containsExactly(
                new StructMember("next", 0, 64, "struct node *"),
                new StructMember("pprev", 64, 64, "struct node **"));
    }

    @Test
    void arraysFunctionPointersForwardsAndVoid_getCLikeNames() {
        BtfBlob b = new BtfBlob();
        int sint = b.integer("int", 4, true);
        int row = b.array(sint, sint, 3);
        int matrix = b.array(row, sint, 2);
        int fwdFile = b.forward("file", false);
        int fwdUnion = b.forward("u", true);
        int proto = b.functionProto(sint, b.pointer(fwdFile), 0);
        int fnPtr = b.pointer(proto);
        int voidPtr = b.pointer(0);
        int noArgs = b.pointer(b.functionProto(0));
        b.struct("mix", 56, false,
                Member.of("m", matrix, 0),
                Member.of("op", fnPtr, 192),
                Member.of("priv", voidPtr, 256),
                Member.of("u", b.pointer(fwdUnion), 320),
                Member.of("cb", noArgs, 384));

        Btf btf = Btf.parse(b.buffer());

        assertThat(btf.structs().get("mix").members()).containsExactly(
                new StructMember("m", 0, 192, "int[2][3]"),
                new StructMember("op", 192, 64, "int (*)(struct file *, ...)"),
                new StructMember("priv", 256, 64, "void *"),
                new StructMember("u", 320, 64, "union u *"),
                new StructMember("cb", 384, 64, "void (*)(void)"));
        assertThat(btf.kind(fwdFile)).isEqualTo(BtfKind.FWD);
        assertThat(btf.sizeBytes(matrix)).isEqualTo(24);
    }

    @Test
    void structAndUnionWithTheSameTag_structWins() {
        BtfBlob b = new BtfBlob();
        int sint = b.integer("int", 4, true);
        b.union("clash", 4, Member.of("asUnion", sint, 0));
        b.struct("clash", 8, false, Member.of("asStruct", sint, 32));

        assertThat(Btf.parse(b.buffer()).structs().get("clash").members())
                .extracting(StructMember::name).containsExactly("asStruct");
    }

    @Test
    void enums_exposeTheirConstants_signedOnlyWhenFlagged() {
        BtfBlob b = new BtfBlob();
        Map<String, Integer> pidTypes = new LinkedHashMap<>();
        pidTypes.put("PIDTYPE_PID", 0);
        pidTypes.put("PIDTYPE_TGID", 1);
        b.enumeration("pid_type", 4, false, pidTypes);
        b.enumeration("", 4, true, Map.of("NEGATIVE", -2));
        b.enumeration("", 4, false, Map.of("BIG", 0xFFFF_FFFE));
        b.enumeration64("wide", Map.of("HUGE", 0x1_0000_0001L));

        Btf btf = Btf.parse(b.buffer());

        assertThat(btf.enums()).containsOnlyKeys("pid_type", "wide");
        assertThat(btf.enums().get("pid_type")).containsExactly(
                Map.entry("PIDTYPE_PID", 0L), Map.entry("PIDTYPE_TGID", 1L));
        assertThat(btf.enumerators()).containsEntry("NEGATIVE", -2L).containsEntry("BIG", 0xFFFF_FFFEL)
                .containsEntry("HUGE", 0x1_0000_0001L);
    }

    @Test
    void bigEndianBlobs_areReadInTheirOwnByteOrder() {
        BtfBlob b = new BtfBlob(ByteOrder.BIG_ENDIAN);
        int sint = b.integer("int", 4, true);
        b.struct("pair", 8, false, Member.of("a", sint, 0), Member.of("b", sint, 32));

        assertThat(Btf.parse(b.buffer()).structs().get("pair").members())
                .containsExactly(new StructMember("a", 0, 32, "int"), new StructMember("b", 32, 32, "int"));
    }

    @Test
    void typeQueries_describeSingleTypes() {
        BtfBlob b = new BtfBlob();
        int sint = b.integer("int", 4, true);
        int list = b.nextId();
        b.struct("list_head", 16, false, Member.of("next", list + 1, 0), Member.of("prev", list + 1, 64));
        b.pointer(list);

        Btf btf = Btf.parse(b.buffer());

        assertThat(btf.typeCount()).isEqualTo(4);
        assertThat(btf.kind(0)).isEqualTo(BtfKind.VOID);
        assertThat(btf.typeName(0)).isEqualTo("void");
        assertThat(btf.name(sint)).isEqualTo("int");
        assertThat(btf.typeName(list)).isEqualTo("struct list_head");
        assertThat(btf.sizeBytes(list + 1)).isEqualTo(8);
        assertThat(btf.layout(list).sizeBytes()).isEqualTo(16);
    }
}
