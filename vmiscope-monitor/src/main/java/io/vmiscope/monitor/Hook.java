package io.vmiscope.monitor;

import io.vmiscope.api.Gva;

/**
 * A breakpoint an action wants at a kernel function's entry.
 *
 * @param symbol  the function, for messages and cost reports
 * @param address its runtime address (after the KASLR slide)
 * @param handler what to do on a hit
 */
public record Hook(String symbol, Gva address, HitHandler handler) {
}
