/**
 * The loaded kernel modules, read from the kernel's {@code modules} list outside the guest.
 *
 * <pre>
 *   modules ─▶ module.list ─▶ module.list ─▶ … ─▶ back to modules   (bounded, cycle- and prev-checked)
 *        module: name, state, core_layout.base + .size (checked against the module area), refcnt
 *   previous list ─┐
 *                  ├─▶ ModuleSnapshotDiff: appeared / disappeared (identity: name + base)
 *   current list ──┘
 * </pre>
 */
package io.vmiscope.linux.module;
