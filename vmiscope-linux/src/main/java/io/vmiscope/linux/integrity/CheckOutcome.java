package io.vmiscope.linux.integrity;

import io.vmiscope.linux.walk.Anomaly;

import java.util.List;

/**
 * One run of one check.
 *
 * @param check         the check's id
 * @param findings      what disagreed; empty for a clean kernel
 * @param viewsCompared how many views of kernel state the run read and compared
 * @param anomalies     faults met on the way (a broken list, a wild pointer): signals in their own right
 */
public record CheckOutcome(String check, List<IntegrityFinding> findings, int viewsCompared, List<Anomaly> anomalies) {

    public CheckOutcome {
        findings = List.copyOf(findings);
        anomalies = List.copyOf(anomalies);
    }
}
