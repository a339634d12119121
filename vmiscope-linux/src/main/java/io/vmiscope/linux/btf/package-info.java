/**
 * BPF Type Format: the compact type information a kernel built with {@code CONFIG_DEBUG_INFO_BTF} carries in
 * its {@code .BTF} section — enough to lay out every kernel struct without debug symbols.
 *
 * <pre>
 *   .BTF ─▶ header (magic 0xeB9F, version 1, offsets)
 *           ├─ type section: btf_type records, ids 1.. (0 = void), each followed by kind-specific data
 *           └─ string section: NUL-terminated names, referenced by offset
 *   {@link io.vmiscope.linux.btf.Btf#parse} validates all of it ─▶ {@link io.vmiscope.linux.btf.Btf#structs}
 *       ─▶ {@link io.vmiscope.linux.symbols.StructLayout}s (anonymous members flattened)
 * </pre>
 *
 * Reference: the kernel's Documentation/bpf/btf.rst. The blob is treated as hostile input: every offset,
 * id and count is checked and every traversal is bounded; a bad blob is a one-line {@link
 * io.vmiscope.linux.symbols.ProfileException}. This package imports only {@code io.vmiscope.linux.symbols}.
 */
package io.vmiscope.linux.btf;
