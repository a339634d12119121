package io.vmiscope.monitor;

import io.vmiscope.events.ActionSpec;
import io.vmiscope.events.AnomalyEvent;
import io.vmiscope.events.IntegrityFindingEvent;
import io.vmiscope.events.ProcessRef;
import io.vmiscope.linux.LinuxGuest;
import io.vmiscope.linux.integrity.CheckOutcome;
import io.vmiscope.linux.integrity.IntegrityCheck;
import io.vmiscope.linux.integrity.IntegrityFinding;
import io.vmiscope.linux.walk.Anomaly;

import java.util.List;
import java.util.Optional;

/**
 * Cross-view integrity checks every period ({@code checks:5s}), the VM paused for each run: one finding event
 * per disagreement, one anomaly event per fault a walk met, nothing for a clean kernel. The checks are built at
 * construction, so an unknown name or a kernel that lacks what a check needs fails before the action starts.
 */
public final class IntegrityCheckAction implements Action {

    private final ActionSpec.Checks spec;
    private final List<IntegrityCheck> checks;

    /**
     * @throws IllegalArgumentException for an unknown check name
     * @throws io.vmiscope.linux.symbols.ProfileException when the kernel lacks what a check needs
     */
    public IntegrityCheckAction(LinuxGuest linux, ActionSpec.Checks spec) {
        this.spec = spec;
        this.checks = linux.integrityChecks(spec.checks());
    }

    @Override
    public String id() {
        return spec.toString();
    }

    @Override
    public Optional<Periodic> periodic() {
        return Optional.of(new Periodic(spec.period(), true, this::run));
    }

    private void run(Tick tick) {
        for (IntegrityCheck check : checks) {
            CheckOutcome outcome = check.run();
            for (IntegrityFinding f : outcome.findings()) {
                tick.emit(event(tick.timeNanos(), tick.vm(), id(), f));
            }
            for (Anomaly a : outcome.anomalies()) {
                tick.emit(new AnomalyEvent(tick.timeNanos(), tick.vm(), id(), ProcessRef.NONE, a.kind().name(),
                        a.where(), a.detail()));
            }
        }
    }

    /** The event a finding becomes: about its process when it names one. */
    public static IntegrityFindingEvent event(long timeNanos, String vm, String action, IntegrityFinding f) {
        ProcessRef process = f.pid() >= 0 ? new ProcessRef(f.pid(), f.pid(), -1, -1, f.comm())
                : ProcessRef.NONE;
        return new IntegrityFindingEvent(timeNanos, vm, action, process, f.check(), f.subject(), f.explanation(),
                f.views(), f.techniques());
    }
}
