package io.vmiscope.detect.sigma;

/** A compiled piece of a rule's detection (a field test, a selection, a condition) over one mapped event. */
@FunctionalInterface
interface EventMatcher {
    boolean matches(SigmaEvent event);
}
