/**
 * Kernel profiles: where every symbol is and how kernel structures are laid out, for one kernel build.
 *
 * <pre>
 *   vmlinuz ─▶ bzImage payload ─▶ decompress ─▶ vmlinux ELF ─┬─▶ kallsyms tables ─▶ symbols
 *                                                            └─▶ .BTF section   ─▶ struct layouts
 *   Volatility ISF JSON ─────────────────────────────────────────────────────────▶ both
 * </pre>
 *
 * Addresses in a profile are link-time (unslid) addresses; KASLR's slide is applied at attach time.
 * {@link io.vmiscope.linux.profile.KernelProfiles} is the entry point: it picks the reader by content
 * ({@link io.vmiscope.linux.profile.IsfProfileReader} for ISF, {@link io.vmiscope.linux.btf.Btf} plus the
 * image's kallsyms otherwise) and keeps derived profiles in a {@link io.vmiscope.linux.profile.ProfileCache}
 * keyed by the kernel's build id.
 *
 * <p>The values a profile is made of (symbols, struct layouts) and its error live in {@code
 * io.vmiscope.linux.symbols}, which the readers in {@code image} and {@code btf} produce without knowing
 * this package: {@code profile} imports them, never the other way round.
 */
package io.vmiscope.linux.profile;
