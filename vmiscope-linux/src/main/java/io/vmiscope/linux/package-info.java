/**
 * Linux guests seen from outside: attaching to a running kernel (finding its KASLR slide and page
 * tables) and reading kernel state through kernel profiles.
 *
 * <pre>
 *   GuestConnection ──▶ LinuxGuest.attach ──▶ KernelLocator (slide, kernel CR3)
 *                              │
 *                              └──▶ TaskWalker ──▶ WalkResult&lt;ProcessInfo&gt;
 * </pre>
 */
package io.vmiscope.linux;
