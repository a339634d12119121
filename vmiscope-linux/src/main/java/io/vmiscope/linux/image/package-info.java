/**
 * Kernel images: what a {@code vmlinuz} or {@code vmlinux} file tells about its kernel without debug
 * symbols.
 *
 * <pre>
 *   vmlinuz (bzImage) ── BzImage: setup header, payload ── decompress (gzip, bzip2, lzma, xz,
 *        │                                                  lz4 legacy, zstd; capped)
 *        ▼
 *   vmlinux (ELF) ────── ElfFile: sections, segments, address → file offset, build id
 *        │
 *        ├── .rodata ──── Kallsyms: every symbol from the compressed kallsyms tables
 *        └── .BTF ─────── (read by io.vmiscope.linux.btf)
 * </pre>
 *
 * {@link io.vmiscope.linux.image.KernelImage} is the entry point; its symbols are {@link
 * io.vmiscope.linux.symbols.KernelSymbol}s, and this package imports only {@code symbols} (the profile that
 * uses the image is built in {@code io.vmiscope.linux.profile}). The files are untrusted input: every
 * offset, length and count read from them is checked against the data and against fixed caps, and every
 * failure is a one-line {@link io.vmiscope.linux.symbols.ProfileException} naming the file.
 */
package io.vmiscope.linux.image;
