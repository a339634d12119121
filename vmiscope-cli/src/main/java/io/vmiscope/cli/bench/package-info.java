/**
 * Benchmarks run as commands ({@code vmiscope bench …}): each prints its figures side by side with a
 * baseline measured in the same run (a peer tool or the physical floor), as ratios, with medians and
 * spread. Nothing here is asserted in tests: the machine is shared and noisy.
 */
package io.vmiscope.cli.bench;
