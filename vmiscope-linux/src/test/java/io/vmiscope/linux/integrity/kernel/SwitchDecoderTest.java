package io.vmiscope.linux.integrity.kernel;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;

class SwitchDecoderTest {

    static final long F = 0xffff_ffff_8100_3320L;
    static final long FENTRY = 0xffff_ffff_8106_b730L;
    static final long A = 0xffff_ffff_8134_d8b0L;
    static final long B = 0xffff_ffff_8134_d9e0L;
    static final long C = 0xffff_ffff_8100_45c0L;

    /**
     * <pre>
     *   +0  call __fentry__ | +5 cmp $2,%esi | +8 je +22 | +10 ja +17
     *   +12 jmp A (0, 1)    | +17 jmp C (above 2)        | +22 jmp B (2)
     * </pre>
     */
    static byte[] tree() {
        ByteBuffer code = ByteBuffer.allocate(27).order(ByteOrder.LITTLE_ENDIAN);
        code.put((byte) 0xe8).putInt((int) (FENTRY - (F + 5)));
        code.put(new byte[] {(byte) 0x83, (byte) 0xfe, 2, 0x74, 0x0c, 0x77, 0x05});
        code.put((byte) 0xe9).putInt((int) (A - (F + 17)));
        code.put((byte) 0xe9).putInt((int) (C - (F + 22)));
        code.put((byte) 0xe9).putInt((int) (B - (F + 27)));
        return code.array();
    }

    @Test
    void eachValue_followsTheTree_toItsTailCall() {
        assertThat(SwitchDecoder.follow(tree(), F, FENTRY, 0).target()).isEqualTo(A);
        assertThat(SwitchDecoder.follow(tree(), F, FENTRY, 1).target()).isEqualTo(A);
        assertThat(SwitchDecoder.follow(tree(), F, FENTRY, 2).target()).isEqualTo(B);
        assertThat(SwitchDecoder.follow(tree(), F, FENTRY, 3).target()).isEqualTo(C);
        assertThat(SwitchDecoder.follow(tree(), F, FENTRY, -1).target()).as("nr is unsigned").isEqualTo(C);
        assertThat(SwitchDecoder.follow(tree(), F, FENTRY, 2).at()).isEqualTo(F + 22);
    }

    @Test
    void theFtraceNop_readsLikeTheCallItReplaced() {
        byte[] code = tree();
        System.arraycopy(new byte[] {0x0f, 0x1f, 0x44, 0x00, 0x00}, 0, code, 0, 5);

        assertThat(SwitchDecoder.follow(code, F, FENTRY, 2).target()).isEqualTo(B);
    }

    @Test
    void anInstructionASwitchDoesNotHold_stopsTheWalkWithWhereAndWhat() {
        byte[] code = tree();
        code[5] = (byte) 0xff; // a hook's "jmp *…" instead of the cmp

        SwitchDecoder.Outcome outcome = SwitchDecoder.follow(code, F, FENTRY, 2);

        assertThat(outcome.target()).isEqualTo(-1);
        assertThat(outcome.problem()).isEqualTo("cannot decode byte 0xff at +0x5");
        assertThat(outcome.at()).isEqualTo(F + 5);
    }

    @Test
    void aLoop_endsAfterTheStepLimit() {
        SwitchDecoder.Outcome outcome = SwitchDecoder.follow(new byte[] {(byte) 0xeb, (byte) 0xfe}, F, FENTRY, 0);

        assertThat(outcome.problem()).isEqualTo("no tail call within " + SwitchDecoder.MAX_STEPS + " instructions");
    }
}
