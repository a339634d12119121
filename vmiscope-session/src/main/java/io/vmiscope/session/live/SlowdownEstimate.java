package io.vmiscope.session.live;

/**
 * The slowdown a live VM is estimated to suffer now, and what the estimate rests on ({@code slowdown},
 * {@code slowdownBasis}, {@code slowdownLowerBound} of openapi.yaml).
 *
 * @param slowdown   0.10 for 10%
 * @param basis      one line, e.g. {@code "VM-stopped time + probe: guest CPUs idle 62% unmonitored, 18% now"}
 * @param lowerBound true when it rests on the VM-stopped time alone: the VM is slowed at least this much
 */
public record SlowdownEstimate(double slowdown, String basis, boolean lowerBound) {
}
