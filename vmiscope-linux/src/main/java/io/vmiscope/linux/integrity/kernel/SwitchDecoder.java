package io.vmiscope.linux.integrity.kernel;

/**
 * Follows a compiled {@code switch (nr)} over one 32-bit argument in {@code esi} — the decision tree
 * GCC emits for {@code x64_sys_call(regs, nr)} with jump tables disabled — for one concrete value of
 * {@code nr}, up to the tail call that leaves the function. Decodes only what such a tree holds:
 *
 * <ul>
 *   <li>{@code cmp $imm32, %esi} ({@code 81 fe}), {@code cmp $imm8, %esi} ({@code 83 fe}),
 *       {@code test %esi, %esi} ({@code 85 f6});</li>
 *   <li>{@code jcc rel8} ({@code 70–7f}), {@code jcc rel32} ({@code 0f 80–8f}), {@code jmp rel8}
 *       ({@code eb}), {@code jmp rel32} ({@code e9});</li>
 *   <li>the ftrace site at the entry: {@code call __fentry__} ({@code e8}) or its 5-byte NOP
 *       ({@code 0f 1f 44 00 00}).</li>
 * </ul>
 *
 * Anything else (a hook's trampoline, garbage) ends the walk with a reason. Every walk is bounded by
 * {@link #MAX_STEPS} instructions and by the code it is given. Stateless and thread-safe.
 */
final class SwitchDecoder {

    /** Most instructions followed for one value (a balanced tree over 512 cases needs about 30). */
    static final int MAX_STEPS = 512;

    /**
     * Where one value leads.
     *
     * @param target  the address the tail call jumps to, or -1 when the walk stopped
     * @param problem why it stopped ({@code null} when a target was found)
     * @param at      the address of the last instruction decoded
     */
    record Outcome(long target, String problem, long at) {
    }

    private SwitchDecoder() {
    }

    /**
     * @param code          the function's bytes
     * @param address       the address of {@code code[0]} (live)
     * @param fentryAddress the live address of {@code __fentry__}, to recognise the entry's ftrace call
     * @param nr            the value of {@code esi}
     */
    static Outcome follow(byte[] code, long address, long fentryAddress, int nr) {
        int pc = 0;
        boolean zero = false;
        boolean carry = false;
        boolean sign = false;
        boolean overflow = false;
        for (int step = 0; step < MAX_STEPS; step++) {
            if (pc < 0 || pc >= code.length) {
                return new Outcome(-1, "runs off the function at +0x" + Integer.toHexString(pc), address + pc);
            }
            int op = u8(code, pc);
            long at = address + pc;
            boolean cmp32 = op == 0x81 && has(code, pc, 6) && u8(code, pc + 1) == 0xfe;
            boolean cmp8 = op == 0x83 && has(code, pc, 3) && u8(code, pc + 1) == 0xfe;
            if (cmp32 || cmp8) {
                int imm = cmp32 ? s32(code, pc + 2) : code[pc + 2]; // imm8 is sign-extended
                int result = nr - imm;
                zero = result == 0;
                carry = Integer.compareUnsigned(nr, imm) < 0;
                sign = result < 0;
                overflow = ((nr ^ imm) & (nr ^ result)) < 0;
                pc += cmp32 ? 6 : 3;
            } else if (op == 0x85 && has(code, pc, 2) && u8(code, pc + 1) == 0xf6) {
                zero = nr == 0;
                carry = false;
                sign = nr < 0;
                overflow = false;
                pc += 2;
            } else if (isParityJump(code, pc)) {
                return new Outcome(-1, "parity jump at +0x" + Integer.toHexString(pc) + " (not a switch)", at);
            } else if (op >= 0x70 && op <= 0x7f && has(code, pc, 2)) {
                int next = pc + 2;
                pc = condition(op & 0xf, zero, carry, sign, overflow) ? next + code[pc + 1] : next;
            } else if (op == 0x0f && has(code, pc, 6) && u8(code, pc + 1) >= 0x80 && u8(code, pc + 1) <= 0x8f) {
                int next = pc + 6;
                pc = condition(u8(code, pc + 1) & 0xf, zero, carry, sign, overflow) ? next + s32(code, pc + 2) : next;
            } else if (op == 0x0f && has(code, pc, 5) && u8(code, pc + 1) == 0x1f && u8(code, pc + 2) == 0x44
                    && u8(code, pc + 3) == 0 && u8(code, pc + 4) == 0) {
                pc += 5;
            } else if (op == 0xe8 && has(code, pc, 5) && at + 5 + s32(code, pc + 1) == fentryAddress) {
                pc += 5;
            } else if ((op == 0xeb && has(code, pc, 2)) || (op == 0xe9 && has(code, pc, 5))) {
                int next = pc + (op == 0xeb ? 2 : 5);
                long target = address + next + (op == 0xeb ? code[pc + 1] : s32(code, pc + 1));
                if (target >= address && target < address + code.length) {
                    pc = (int) (target - address);
                } else {
                    return new Outcome(target, null, at);
                }
            } else {
                return new Outcome(-1, "cannot decode byte 0x" + Integer.toHexString(op) + " at +0x"
                        + Integer.toHexString(pc), at);
            }
        }
        return new Outcome(-1, "no tail call within " + MAX_STEPS + " instructions", address + pc);
    }

    /** Intel SDM 2 "Jcc": the condition of {@code 7x}/{@code 0f 8x} by its low nibble. */
    private static boolean condition(int cc, boolean zf, boolean cf, boolean sf, boolean of) {
        boolean value = switch (cc >> 1) {
            case 0 -> of;
            case 1 -> cf;
            case 2 -> zf;
            case 3 -> cf || zf;
            case 4 -> sf;
            case 6 -> sf != of;
            default -> zf || sf != of;
        };
        return (cc & 1) == 0 ? value : !value;
    }

    /** {@code jp}/{@code jnp} ({@code 7a 7b}, {@code 0f 8a 8b}): a switch tree never tests parity. */
    private static boolean isParityJump(byte[] code, int pc) {
        int op = u8(code, pc);
        int cc = op == 0x0f && pc + 1 < code.length ? u8(code, pc + 1) : op;
        return cc == 0x7a || cc == 0x7b || cc == 0x8a || cc == 0x8b;
    }

    private static boolean has(byte[] code, int pc, int length) {
        return pc + length <= code.length;
    }

    private static int u8(byte[] code, int at) {
        return code[at] & 0xff;
    }

    private static int s32(byte[] code, int at) {
        return (code[at] & 0xff) | (code[at + 1] & 0xff) << 8 | (code[at + 2] & 0xff) << 16 | code[at + 3] << 24;
    }
}
