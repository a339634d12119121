package io.vmiscope.linux.walk;

import java.util.List;

/**
 * The outcome of a bounded walk over guest data.
 *
 * @param items     what was read, in walk order
 * @param anomalies what looked wrong on the way
 * @param truncated true when the walk stopped before the natural end of the structure
 */
public record WalkResult<T>(List<T> items, List<Anomaly> anomalies, boolean truncated) {

    public WalkResult {
        items = List.copyOf(items);
        anomalies = List.copyOf(anomalies);
    }

    public boolean isComplete() {
        return !truncated && anomalies.isEmpty();
    }
}
