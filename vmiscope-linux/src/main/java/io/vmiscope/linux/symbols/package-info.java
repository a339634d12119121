/**
 * What is known about one kernel build, as plain values: its symbols ({@link
 * io.vmiscope.linux.symbols.KernelSymbol}), the layouts of its structs ({@link
 * io.vmiscope.linux.symbols.StructLayout}, {@link io.vmiscope.linux.symbols.StructMember}) and the one
 * error of reading or using them ({@link io.vmiscope.linux.symbols.ProfileException}). The readers of each
 * source produce these values and a {@code KernelProfile} gathers them; the walkers read them.
 *
 * <pre>
 *   profile (KernelProfiles, ISF, cache) ──┬──▶ image (bzImage, ELF, kallsyms) ──┐
 *                                          ├──▶ btf (.BTF) ──────────────────────┤
 *                                          └─────────────────────────────────────┴──▶ symbols
 *   (arrows: "imports"; symbols imports nothing else of vmiscope)
 * </pre>
 *
 * Because it sits below every reader, {@code image} and {@code btf} need not know {@code profile}, and
 * {@code profile} may use them without a package cycle. All types are immutable and thread-safe.
 */
package io.vmiscope.linux.symbols;
