package io.vmiscope.linux.btf;

import io.vmiscope.linux.btf.BtfBlob.Member;
import io.vmiscope.linux.symbols.ProfileException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Malformed and hostile blobs: each is rejected with a one-line ProfileException, never a crash or hang. */
class BtfCorruptionTest {

    private static BtfBlob validBlob() {
        BtfBlob b = new BtfBlob();
        int sint = b.integer("int", 4, true);
        b.struct("pair", 8, false, Member.of("a", sint, 0), Member.of("b", sint, 32));
        return b;
    }

    private static void assertRejected(byte[] blob, String reasonFragment) {
        assertThatThrownBy(() -> Btf.parse(ByteBuffer.wrap(blob)).structs())
                .isInstanceOf(ProfileException.class)
                .hasMessageStartingWith("BTF: ")
                .hasMessageContaining(reasonFragment)
                .message().doesNotContain("\n");
    }

    @Test
    void aBlobShorterThanTheHeader_isRejected() {
        assertRejected(Arrays.copyOf(validBlob().bytes(), 10), "too short for a header");
    }

    @Test
    void aBlobCutInsideItsSections_isRejected() {
        byte[] whole = validBlob().bytes();
        assertRejected(Arrays.copyOf(whole, whole.length - 3), "runs past");
    }

    @Test
    void aTypeRecordCutShort_isRejected() {
        BtfBlob b = validBlob();
        byte[] blob = b.bytes();
        ByteBuffer buf = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        int typeLen = buf.getInt(12);
        // Claim two bytes of type section less (the string section stays put): the last member no longer fits.
        buf.putInt(12, typeLen - 2);
        assertRejected(blob, "runs past the end of the type section");
    }

    @Test
    void aBadMagic_isRejected() {
        byte[] blob = validBlob().bytes();
        blob[0] = 0x12;
        assertRejected(blob, "bad magic");
    }

    @Test
    void anUnknownVersion_isRejected() {
        byte[] blob = validBlob().bytes();
        blob[2] = 2;
        assertRejected(blob, "unsupported version 2");
    }

    @Test
    void aStringOffsetOutOfRange_isRejected() {
        BtfBlob b = new BtfBlob();
        b.raw(100_000, BtfBlob.info(BtfKind.INT, 0, false), 4, 32);
        assertRejected(b.bytes(), "outside the");
    }

    @Test
    void aTypeIdOutOfRange_isRejected() {
        BtfBlob b = new BtfBlob();
        int sint = b.integer("int", 4, true);
        b.struct("bad", 8, false, Member.of("a", sint, 0), Member.of("b", 999, 32));
        assertRejected(b.bytes(), "member 1 type id 999 is out of range");
    }

    @Test
    void aTypedefCycle_isRejected() {
        BtfBlob b = new BtfBlob();
        b.typedef("a_t", 2);
        b.typedef("b_t", 3);
        b.qualifier(BtfKind.CONST, 1);
        assertRejected(b.bytes(), "cycle");
    }

    @Test
    void aPointerToItself_isRejected() {
        BtfBlob b = new BtfBlob();
        b.pointer(1);
        assertRejected(b.bytes(), "cycle");
    }

    @Test
    void aVeryLongReferenceChain_isRejectedWithoutOverflowingTheStack() {
        BtfBlob b = new BtfBlob();
        int t = b.integer("int", 4, true);
        for (int i = 0; i < 100_000; i++) {
            t = b.pointer(t);
        }
        assertRejected(b.bytes(), "deeper than " + Btf.MAX_REFERENCE_DEPTH);
    }

    @Test
    void anUnknownKind_isRejected() {
        BtfBlob b = new BtfBlob();
        b.raw(0, 25 << 24, 0);
        assertRejected(b.bytes(), "unknown kind 25");
    }

    @Test
    void aMemberBeyondItsStruct_isRejected() {
        BtfBlob b = new BtfBlob();
        int sint = b.integer("int", 4, true);
        b.struct("small", 4, false, Member.of("a", sint, 0), Member.of("b", sint, 32));
        assertRejected(b.bytes(), "exceeds its size");
    }

    @Test
    void anAnonymousStructContainingItself_isRejected() {
        BtfBlob b = new BtfBlob();
        int self = b.nextId();
        b.struct("", 4, false, Member.of("", self, 0));
        b.struct("outer", 4, false, Member.of("", self, 0));
        assertRejected(b.bytes(), "nested deeper than");
    }

    @Test
    void aStringSectionWithoutTerminator_isRejected() {
        byte[] blob = validBlob().bytes();
        blob[blob.length - 1] = 'x';
        assertRejected(blob, "NUL");
    }

    @Test
    void aHugeMemberCount_cannotReadPastTheSection() {
        BtfBlob b = new BtfBlob();
        b.raw(0, BtfBlob.info(BtfKind.STRUCT, 0xffff, false), 8);
        assertRejected(b.bytes(), "runs past the end of the type section");
    }

    @Test
    void anEmptyTypeSection_isValid() {
        assertThatCode(() -> Btf.parse(new BtfBlob().buffer()).structs()).doesNotThrowAnyException();
    }
}
