package io.vmiscope.linux.integrity.kernel;

import java.util.List;

/**
 * What {@link SyscallDispatchVerifier} found.
 *
 * @param findings       the numbers dispatched elsewhere than expected; empty for an intact switch
 * @param numbersChecked how many system-call numbers were followed through the switch (0 when not applicable)
 * @param notApplicable  why the kernel was not checked (it has no {@code x64_sys_call}: it dispatches through
 *                       {@code sys_call_table} alone), or {@code ""}
 */
public record SyscallDispatchCheck(List<SyscallDispatchFinding> findings, int numbersChecked, String notApplicable) {

    public SyscallDispatchCheck {
        findings = List.copyOf(findings);
    }

    /** True when every number followed reached its own entry function (also when not applicable). */
    public boolean isIntact() {
        return findings.isEmpty();
    }
}
