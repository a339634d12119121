/**
 * Linux guests seen from outside: attaching to a running kernel (finding its KASLR slide and page
 * tables) and reading kernel state through kernel profiles.
 *
 * <pre>
 *   GuestConnection ──▶ LinuxGuest.attach ──▶ KernelLocator (slide, kernel CR3)
 *                              │
 *                              └──▶ TaskWalker ──▶ WalkResult&lt;ProcessInfo&gt;
 * </pre>
 *
 * <p>The packages under it, each importing only those below it (no package cycles; checked by the CLI's
 * {@code ArchitectureTest}, drawn in docs/architecture.md):
 * <pre>
 *   linux ─▶ task, module, syscall ─▶ walk
 *     └──────────┴─▶ profile ─▶ image, btf ─▶ symbols (KernelSymbol, StructLayout, StructMember,
 *                                              ProfileException: imported by all but walk)
 * </pre>
 */
package io.vmiscope.linux;
