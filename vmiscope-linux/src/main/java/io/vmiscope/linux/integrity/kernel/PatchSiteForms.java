package io.vmiscope.linux.integrity.kernel;

import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.symbols.KernelSymbol;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Which bytes the kernel itself may leave at a patch site, so that a rootkit cannot hide in one: the
 * 5-byte ftrace site at the entry of nearly every function is exactly where an inline hook goes.
 *
 * <ul>
 *   <li>any site: its image bytes (relocated);</li>
 *   <li>ftrace: the 5-byte NOP {@code 0f 1f 44 00 00} ({@code ftrace_nop_replace}), or {@code call}
 *       to {@code ftrace_caller}/{@code ftrace_regs_caller} (a function being traced);</li>
 *   <li>jump label: the NOP of its length ({@code 0f 1f 44 00 00} or {@code 66 90}), or the jump to the
 *       entry's own target ({@code e9 rel32} / {@code eb rel8});</li>
 *   <li>return thunk: {@code ret} followed by {@code int3} padding, or {@code jmp} to a
 *       {@code *return_thunk} symbol ({@code apply_returns});</li>
 *   <li>lock prefix: {@code f0} or the {@code ds} prefix {@code 3e} a uniprocessor kernel puts there.</li>
 * </ul>
 *
 * The other classes (alternatives, paravirt, retpolines, static calls) take any bytes: their legitimate
 * forms depend on CPU features and on targets outside the image, and are not modelled here.
 * Immutable and thread-safe.
 */
final class PatchSiteForms {

    private static final byte[] NOP5 = {0x0f, 0x1f, 0x44, 0x00, 0x00};
    private static final byte[] NOP2 = {0x66, (byte) 0x90};

    private final Set<Long> ftraceCallers = new HashSet<>();
    private final Set<Long> returnThunks = new HashSet<>();

    PatchSiteForms(KernelProfile profile) {
        for (KernelSymbol symbol : profile.allSymbols()) {
            if (symbol.name().equals("ftrace_caller") || symbol.name().equals("ftrace_regs_caller")) {
                ftraceCallers.add(symbol.address());
            } else if (symbol.name().endsWith("return_thunk")) {
                returnThunks.add(symbol.address());
            }
        }
    }

    /**
     * Whether site {@code i} holds a form the kernel may have written.
     *
     * @param live     live bytes of the text (index 0 = link-time {@code textStart})
     * @param expected the relocated image bytes, same indexing
     */
    boolean allowed(TextPatchSites sites, int i, byte[] live, byte[] expected, long textStart) {
        int at = (int) (sites.start(i) - textStart);
        int length = sites.length(i);
        if (at < 0 || at + length > live.length || Arrays.equals(live, at, at + length, expected, at, at + length)) {
            return true;
        }
        long site = sites.start(i);
        return switch (sites.classOf(i)) {
            case FTRACE -> is(live, at, NOP5) || ftraceCallers.contains(branchTo(live, at, 0xe8, site));
            case JUMP_LABEL -> length == 2
                    ? is(live, at, NOP2) || Long.valueOf(sites.target(i)).equals(branchTo(live, at, 0xeb, site))
                    : is(live, at, NOP5) || Long.valueOf(sites.target(i)).equals(branchTo(live, at, 0xe9, site));
            case RETURN_THUNK -> isRet(live, at, length)
                    || returnThunks.contains(branchTo(live, at, 0xe9, site));
            case SMP_LOCK -> live[at] == (byte) 0xf0 || live[at] == 0x3e;
            default -> true;
        };
    }

    private static boolean is(byte[] live, int at, byte[] form) {
        return at + form.length <= live.length && Arrays.equals(live, at, at + form.length, form, 0, form.length);
    }

    /** {@code ret; int3…} over the whole site. */
    private static boolean isRet(byte[] live, int at, int length) {
        if (live[at] != (byte) 0xc3) {
            return false;
        }
        for (int k = 1; k < length; k++) {
            if (live[at + k] != (byte) 0xcc) {
                return false;
            }
        }
        return true;
    }

    /**
     * The link-time target of the branch with {@code opcode} ({@code e8}/{@code e9} rel32, {@code eb} rel8)
     * at the site, or {@code null} when another instruction is there.
     */
    private Long branchTo(byte[] live, int at, int opcode, long site) {
        if ((live[at] & 0xff) != opcode) {
            return null;
        }
        if (opcode == 0xeb) {
            return at + 2 <= live.length ? site + 2 + live[at + 1] : null;
        }
        if (at + 5 > live.length) {
            return null;
        }
        int rel = (live[at + 1] & 0xff) | (live[at + 2] & 0xff) << 8 | (live[at + 3] & 0xff) << 16 | live[at + 4] << 24;
        // relative branches move with the text: the live displacement equals the link-time one
        return site + 5 + rel;
    }
}
