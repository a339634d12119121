/**
 * Workloads for overhead measurements: steady activity in the demo guest with a rate measured on the
 * host's wall clock, so that time the VM spends held by a debugger shows as a lower rate.
 *
 * <pre>
 *   host                                        guest (via GuestShell: the test console)
 *   Workload.start ──────────────────────────▶  setsid sh /tmp/vmiscope-wl/NAME.sh   (loop of batches)
 *   CounterMeter ── read counter, nanoTime ──▶  /tmp/vmiscope-wl/NAME.count           (ops so far)
 *                   … window …
 *                ── read counter, nanoTime ──▶  rate = Δcount / Δhost time
 *   HttpGetLoop  ── GET / per connection ────▶  httpd (port 80, forwarded to host loopback)
 *   Workload.stop ───────────────────────────▶  kill the process group, remove the files
 * </pre>
 *
 * <p>{@link io.vmiscope.overhead.workload.Workloads} is the catalogue; a
 * {@link io.vmiscope.overhead.workload.Rate} is what a window gave. This package needs no guest
 * launcher: the CLI implements {@link io.vmiscope.overhead.workload.GuestShell} with the test console.
 */
package io.vmiscope.overhead.workload;
