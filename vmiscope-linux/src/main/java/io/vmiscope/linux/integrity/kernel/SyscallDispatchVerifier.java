package io.vmiscope.linux.integrity.kernel;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gva;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.syscall.SymbolIndex;
import io.vmiscope.linux.syscall.SyscallTable;
import io.vmiscope.x86.GuestMemory;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Checks the switch that Linux 6.9 — and the stable kernels it was backported to, Debian's 6.1.0-57
 * among them — dispatches 64-bit system calls through instead of an indirect call
 * ({@code x64_sys_call(regs, nr)}, the branch-history-injection mitigation): reads the function from
 * guest memory, follows the compiled decision tree for every number ({@link SwitchDecoder}) and checks
 * each lands on the kallsyms function {@code sys_call_table} would name
 * ({@link SyscallTable#expectedEntry}). A kernel without {@code x64_sys_call} is reported as not
 * applicable. One read of the function (at most {@link #MAX_FUNCTION_BYTES}); the VM must be stopped.
 * Not thread-safe.
 */
public final class SyscallDispatchVerifier {

    /** Most bytes read for {@code x64_sys_call} (6.1's is about 4.7 KiB). */
    public static final int MAX_FUNCTION_BYTES = 64 << 10;
    static final String FUNCTION = "x64_sys_call";

    private final GuestMemory memory;
    private final KernelProfile profile;
    private final long slide;
    private final SymbolIndex symbols;
    private final int numbers;

    public SyscallDispatchVerifier(GuestMemory memory, KernelProfile profile, long slide) {
        this.memory = memory;
        this.profile = profile;
        this.slide = slide;
        this.symbols = new SymbolIndex(profile);
        this.numbers = SyscallTable.fromProfile(profile).liveTableEntries();
    }

    /** Follows every number through the live switch. */
    public SyscallDispatchCheck verify() {
        OptionalLong function = profile.findSymbol(FUNCTION);
        if (function.isEmpty()) {
            return new SyscallDispatchCheck(List.of(), 0, profile.source() + " has no " + FUNCTION
                    + ": it dispatches through sys_call_table alone");
        }
        long start = function.getAsLong();
        int size = (int) Math.min(MAX_FUNCTION_BYTES, symbols.next(start).orElse(start + MAX_FUNCTION_BYTES) - start);
        long fentry = profile.findSymbol("__fentry__").orElse(0) + slide;
        byte[] code;
        try {
            code = memory.read(AccessContext.kernel(Gva.of(start + slide)), size);
        } catch (GuestAccessException e) {
            return new SyscallDispatchCheck(List.of(new SyscallDispatchFinding(-1, start + slide, FUNCTION, FUNCTION,
                    "cannot be read: " + e.getMessage())), 0, "");
        }
        List<SyscallDispatchFinding> findings = new ArrayList<>();
        for (int nr = 0; nr < numbers; nr++) {
            String expected = SyscallTable.expectedEntry(profile, nr);
            SwitchDecoder.Outcome outcome = SwitchDecoder.follow(code, start + slide, fentry, nr);
            long address = outcome.problem() == null ? outcome.target() : outcome.at();
            if (outcome.problem() != null || address - slide != profile.symbol(expected)) {
                findings.add(new SyscallDispatchFinding(nr, address, symbols.describe(address - slide, expected), expected,
                        outcome.problem() == null ? "" : outcome.problem()));
            }
        }
        return new SyscallDispatchCheck(findings, numbers, "");
    }
}
