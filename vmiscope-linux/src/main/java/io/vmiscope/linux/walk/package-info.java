/**
 * What every walk over guest memory shares: limits, anomalies, results that are partial but marked,
 * and safe decoding of guest strings. Guest memory is hostile input: a walk never throws for one bad
 * element, never loops and never sizes an allocation from a guest value.
 */
package io.vmiscope.linux.walk;
