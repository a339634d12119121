package io.vmiscope.overhead.budget;

import java.util.OptionalDouble;

/**
 * A measurement of the guest workload's own progress (its operations per second against its
 * unmonitored rate), where the workload offers one: it sees what no counter of the monitor sees, such
 * as QEMU's re-translation after each stop under TCG.
 */
@FunctionalInterface
public interface WorkloadProbe {

    /** No probe. */
    WorkloadProbe NONE = OptionalDouble::empty;

    /** The workload's slowdown since the previous call (0.10: 10% slower), when there is a reading. */
    OptionalDouble slowdownSinceLastCall();

    /** What it measures, one line for people, e.g. {@code "GET /health latency against 4.1 ms unmonitored"}. */
    default String describe() {
        return "the workload's own progress";
    }
}
