package io.vmiscope.overhead.workload;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A workload's rate over one measured window, timed on the host's wall clock.
 *
 * @param ops         operations completed in the window
 * @param wallSeconds the window's measured length
 * @param latencies   request latencies, for workloads made of requests (web); empty otherwise
 */
public record Rate(long ops, double wallSeconds, Optional<Latencies> latencies) {

    public Rate {
        Objects.requireNonNull(latencies, "latencies");
        if (ops < 0 || !(wallSeconds > 0) || Double.isInfinite(wallSeconds)) {
            throw new IllegalArgumentException("a rate needs ops ≥ 0 and a positive window, was " + ops
                    + " ops in " + wallSeconds + " s");
        }
    }

    public double opsPerSecond() {
        return ops / wallSeconds;
    }

    /** E.g. {@code 412.3 ops/s (1031 ops in 2.50 s), p50 2.1 ms, p99 6.0 ms}. */
    @Override
    public String toString() {
        String rate = String.format(Locale.ROOT, "%.1f ops/s (%d ops in %.2f s)", opsPerSecond(), ops, wallSeconds);
        return latencies.map(l -> String.format(Locale.ROOT, "%s, p50 %.1f ms, p99 %.1f ms", rate,
                l.p50Millis(), l.p99Millis())).orElse(rate);
    }
}
