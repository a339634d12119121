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
 */
package io.vmiscope.linux.profile;
