package io.vmiscope.linux.module;

import io.vmiscope.api.Gva;

/**
 * One loaded kernel module as seen from outside the guest.
 *
 * @param name      {@code module.name}, decoded safely (guest-controlled text)
 * @param state     {@code module.state}
 * @param base      start of the module's core allocation ({@code core_layout.base}): its text and
 *                  data that stay after initialisation
 * @param sizeBytes size of that allocation ({@code core_layout.size}); for a {@link ModuleState#LIVE}
 *                  module this is the size /proc/modules shows, since the kernel zeroes the init
 *                  layout's size once init is done and prints the sum of both
 * @param refcount  the raw {@code module.refcnt}, which counts the loader's own reference
 *                  ({@code MODULE_REF_BASE}, 1) plus one per user, so /proc/modules shows
 *                  {@code refcount - 1}; -1 when the kernel has no {@code refcnt}
 *                  ({@code CONFIG_MODULE_UNLOAD} off) or the value was implausible
 * @param address   address of the {@code struct module}: the module's identity within one walk
 */
public record ModuleInfo(String name, ModuleState state, Gva base, long sizeBytes, int refcount, Gva address) {
}
