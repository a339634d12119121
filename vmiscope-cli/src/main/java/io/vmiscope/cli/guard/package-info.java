/**
 * The guard: a small separate process that resumes a VM, and clears the breakpoints in it, when the
 * vmiscope process that holds the VM's gdbstub dies without detaching (kill -9, out of memory, a crash).
 * QEMU keeps such a VM stopped, and a breakpoint left in its kernel would stop it again at the next hit.
 *
 * <pre>
 *   owner JVM (tracing)                      guard JVM (GuardMain)
 *     GuardLauncher.start ── spawns ──────▶    polls the owner every 200 ms
 *     GdbDriver ══ gdbstub ══ QEMU ◀──┐        owner gone, no clean-exit file: QMP shows
 *     ...                             └──────    the stub free, GdbDriver.release, QMP cont
 *     driver.close(); guard.close()              on the guard's QMP socket; exits
 *       └─ creates the clean-exit file ──▶     clean-exit file seen: exits, VM untouched
 * </pre>
 *
 * <p>{@link io.vmiscope.cli.guard.GuardLauncher} and {@link io.vmiscope.cli.guard.Guard} are for the
 * owner; {@link io.vmiscope.cli.guard.GuardMain} is the guard's entry point;
 * {@link io.vmiscope.cli.guard.GdbStubClients} tells through QMP whether a debugger holds the stub, since a
 * connection attempt behind a live debugger would stop the VM later.
 */
package io.vmiscope.cli.guard;
