package io.vmiscope.linux.syscall;

import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.symbols.StructLayout;
import io.vmiscope.linux.walk.ReadPlan;

import java.util.List;

/**
 * Where a system call's saved user registers are in {@code struct pt_regs}, from the profile's BTF.
 * At a breakpoint on {@code __x64_sys_<name>(const struct pt_regs *regs)}, {@code rdi} holds that
 * pointer; the user's arguments are {@code regs->di, si, dx, r10, r8, r9} (the x86-64 system-call
 * convention: {@code r10} replaces {@code rcx}, which {@code syscall} overwrites).
 *
 * @param di     offset in bytes of {@code di}, the first argument
 * @param si     second argument
 * @param dx     third argument
 * @param r10    fourth argument
 * @param r8     fifth argument
 * @param r9     sixth argument
 * @param origAx the system-call number as the user passed it in {@code rax}
 * @param ax     the return value, once the call has returned
 * @param ip     the user instruction pointer after {@code syscall}
 * @param sp     the user stack pointer
 * @param bx     first argument of a 32-bit ({@code int 0x80}) call
 * @param cx     second argument of a 32-bit call
 * @param bp     sixth argument of a 32-bit call
 */
public record PtRegsLayout(long di, long si, long dx, long r10, long r8, long r9, long origAx, long ax, long ip,
                           long sp, long bx, long cx, long bp) {

    /** Every saved register is 8 bytes on x86-64. */
    public static final int REGISTER_BYTES = 8;

    /**
     * One register field, for building a {@link ReadPlan}.
     *
     * @param name        the BTF member name ({@code "di"})
     * @param offsetBytes its offset in {@code struct pt_regs}
     */
    public record Field(String name, long offsetBytes) {
        /** Size in bytes. */
        public int sizeBytes() {
            return REGISTER_BYTES;
        }
    }

    /**
     * Resolves the offsets.
     *
     * @throws io.vmiscope.linux.symbols.ProfileException naming the first missing struct or member
     */
    public static PtRegsLayout from(KernelProfile profile) {
        StructLayout regs = profile.struct("pt_regs");
        return new PtRegsLayout(regs.offsetOf("di"), regs.offsetOf("si"), regs.offsetOf("dx"), regs.offsetOf("r10"),
                regs.offsetOf("r8"), regs.offsetOf("r9"), regs.offsetOf("orig_ax"), regs.offsetOf("ax"),
                regs.offsetOf("ip"), regs.offsetOf("sp"), regs.offsetOf("bx"), regs.offsetOf("cx"), regs.offsetOf("bp"));
    }

    /** The fields this layout knows: the six argument registers in order, orig_ax, ax, ip, sp, then bx, cx, bp. */
    public List<Field> fields() {
        return List.of(new Field("di", di), new Field("si", si), new Field("dx", dx), new Field("r10", r10),
                new Field("r8", r8), new Field("r9", r9), new Field("orig_ax", origAx), new Field("ax", ax),
                new Field("ip", ip), new Field("sp", sp), new Field("bx", bx), new Field("cx", cx), new Field("bp", bp));
    }

    /** Adds every field to {@code builder}. */
    public ReadPlan.Builder addTo(ReadPlan.Builder builder) {
        fields().forEach(f -> builder.field(f.offsetBytes(), f.sizeBytes()));
        return builder;
    }

    /**
     * A plan that reads every field of one {@code pt_regs} (168 bytes on x86-64: one read when
     * {@code maxReadBytes} allows).
     */
    public ReadPlan readPlan(int maxReadBytes) {
        return addTo(ReadPlan.builder(maxReadBytes)).build();
    }

    /** The six system-call arguments {@code di, si, dx, r10, r8, r9} from a block read by a plan with these fields. */
    public long[] arguments(ReadPlan.Block block) {
        return new long[] {block.u64(di), block.u64(si), block.u64(dx), block.u64(r10), block.u64(r8), block.u64(r9)};
    }

    /**
     * The six arguments of a 32-bit call ({@code int 0x80} / compat): {@code bx, cx, dx, si, di, bp},
     * each the low 32 bits, zero-extended (arch/x86/entry/entry_32.S's convention).
     */
    public long[] ia32Arguments(ReadPlan.Block block) {
        long[] regs = {block.u64(bx), block.u64(cx), block.u64(dx), block.u64(si), block.u64(di), block.u64(bp)};
        for (int i = 0; i < regs.length; i++) {
            regs[i] &= 0xffff_ffffL;
        }
        return regs;
    }

    /** The system-call number ({@code orig_ax}) from a block. */
    public long syscallNumber(ReadPlan.Block block) {
        return block.u64(origAx);
    }

    /** The return value ({@code ax}) from a block. */
    public long returnValue(ReadPlan.Block block) {
        return block.u64(ax);
    }
}
