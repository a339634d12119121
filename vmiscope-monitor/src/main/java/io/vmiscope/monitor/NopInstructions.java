package io.vmiscope.monitor;

import java.util.Arrays;
import java.util.List;

/**
 * Recognises the x86 no-op encodings that kernel functions start with, so a breakpoint on them can be
 * stepped over by advancing {@code rip} instead of removing, single-stepping and re-inserting it —
 * under QEMU's TCG every breakpoint insert or remove flushes all translated code, which slows the guest
 * far more than the stop itself. Linux's function entries begin with the ftrace site, a 5-byte NOP
 * while ftrace is off, or with {@code endbr64} under IBT.
 */
final class NopInstructions {

    /** Intel SDM Vol. 2B, NOP: the recommended multi-byte sequences; plus ENDBR64 (a NOP for control flow). */
    private static final List<byte[]> NOPS = List.of(
            bytes(0x90),
            bytes(0x66, 0x90),
            bytes(0x0f, 0x1f, 0x00),
            bytes(0x0f, 0x1f, 0x40, 0x00),
            bytes(0x0f, 0x1f, 0x44, 0x00, 0x00),
            bytes(0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00),
            bytes(0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00),
            bytes(0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00),
            bytes(0xf3, 0x0f, 0x1e, 0xfa));

    /** Longest encoding above: read this many bytes at a hook's address. */
    static final int MAX_LENGTH = 8;

    private NopInstructions() {
    }

    /** The length of the NOP at the start of {@code code}, or 0 when it does not start with one. */
    static int length(byte[] code) {
        int best = 0;
        for (byte[] nop : NOPS) {
            if (nop.length <= code.length && Arrays.equals(code, 0, nop.length, nop, 0, nop.length)) {
                best = Math.max(best, nop.length);
            }
        }
        return best;
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
