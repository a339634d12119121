package io.vmiscope.linux.integrity;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gva;
import io.vmiscope.api.Hex;
import io.vmiscope.linux.syscall.LiveSyscallTable;
import io.vmiscope.linux.syscall.SyscallHookFinding;
import io.vmiscope.linux.syscall.SyscallTable;
import io.vmiscope.linux.walk.Anomaly;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * {@code syscall-table}: every slot of the guest's {@code sys_call_table} against the entry function the
 * profile (kallsyms) names for it ({@link SyscallTable#verifyLive}). A slot pointing elsewhere — another
 * kernel function, module space, anything — is reported with the syscall's number and both symbols.
 *
 * <p>Cost: one read of {@link SyscallTable#liveTableEntries()} × 8 bytes (a few round trips).
 */
public final class SyscallTableCheck implements IntegrityCheck {

    public static final String ID = "syscall-table";
    static final String TABLE = "sys_call_table";
    static final String KALLSYMS = "kallsyms (the profile)";

    private final KernelAccess kernel;
    private final long table;
    private final int entries;
    private final BiFunction<byte[], Long, LiveSyscallTable> verifier;

    /** @throws io.vmiscope.linux.symbols.ProfileException when the profile has no {@code sys_call_table} */
    public SyscallTableCheck(KernelAccess kernel) {
        this.kernel = kernel;
        this.table = kernel.address("sys_call_table");
        this.entries = SyscallTable.fromProfile(kernel.profile()).liveTableEntries();
        this.verifier = SyscallTable.liveVerifier(kernel.profile());
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CheckOutcome run() {
        byte[] bytes;
        try {
            bytes = kernel.memory().read(AccessContext.kernel(Gva.of(table)), entries * Long.BYTES);
        } catch (GuestAccessException e) {
            return new CheckOutcome(ID, List.of(), 0, List.of(new Anomaly(Anomaly.Kind.UNMAPPED, TABLE + " "
                    + Gva.of(table), e.getMessage())));
        }
        LiveSyscallTable live = verifier.apply(bytes, kernel.slide());
        List<IntegrityFinding> findings = new ArrayList<>();
        for (SyscallHookFinding hook : live.findings()) {
            String name = hook.expectedSymbol().replaceFirst("^__x64_sys_", "");
            Map<String, String> views = new LinkedHashMap<>();
            views.put(TABLE, "slot " + hook.number() + " → " + Hex.address(hook.actualAddress())
                    + (hook.actualSymbol() == null ? " (outside the kernel image)" : " (" + hook.actualSymbol() + ")"));
            views.put(KALLSYMS, hook.expectedSymbol());
            findings.add(new IntegrityFinding(ID, "sys_call_table[" + hook.number() + "] (" + name + ")", -1, "",
                    hook.toString(), views, List.of("T1014", "T1574")));
        }
        return new CheckOutcome(ID, findings, 2, List.of());
    }
}
