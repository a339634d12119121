package io.vmiscope.linux.integrity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The known checks by id, and building them for one guest. A check another part adds plugs in with one entry
 * in {@link #KNOWN} (an adapter implementing {@link IntegrityCheck}).
 */
public final class IntegrityChecks {

    private static final Map<String, Function<KernelAccess, IntegrityCheck>> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put(HiddenProcessesCheck.ID, HiddenProcessesCheck::new);
        KNOWN.put(HiddenModulesCheck.ID, HiddenModulesCheck::new);
        KNOWN.put(CredentialsCheck.ID, CredentialsCheck::new);
        KNOWN.put(SyscallTableCheck.ID, SyscallTableCheck::new);
    }

    private IntegrityChecks() {
    }

    /** Every check's id, in the order they run. */
    public static List<String> ids() {
        return List.copyOf(KNOWN.keySet());
    }

    /**
     * The checks {@code ids} names (all of them for an empty list), in {@link #ids()} order.
     *
     * @throws IllegalArgumentException for an unknown id, naming the known ones
     * @throws io.vmiscope.linux.symbols.ProfileException when this kernel lacks what a check needs
     */
    public static List<IntegrityCheck> build(List<String> ids, KernelAccess kernel) {
        for (String id : ids) {
            if (!KNOWN.containsKey(id)) {
                throw new IllegalArgumentException("unknown check '" + (id.length() > 40 ? id.substring(0, 40) + "…" : id)
                        + "'; known: "
                        + String.join(", ", KNOWN.keySet()));
            }
        }
        List<IntegrityCheck> checks = new ArrayList<>();
        KNOWN.forEach((id, make) -> {
            if (ids.isEmpty() || ids.contains(id)) {
                checks.add(make.apply(kernel));
            }
        });
        return checks;
    }

    /** Runs every check once (the VM stopped throughout), in order. */
    public static List<CheckOutcome> runAll(List<IntegrityCheck> checks) {
        return checks.stream().map(IntegrityCheck::run).toList();
    }
}
