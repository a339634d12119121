package io.vmiscope.linux.module;

import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.symbols.ProfileException;
import io.vmiscope.linux.symbols.StructLayout;
import io.vmiscope.linux.symbols.StructMember;

/**
 * The member offsets (bytes) the module walker reads, resolved once from a profile. Construction fails
 * with a {@link ProfileException} naming what is missing or unsupported, so a walker is never
 * half-working.
 *
 * @param refcnt offset of {@code module.refcnt}, or -1 when the kernel has none
 */
record ModuleLayout(long state, long list, long name, int nameBytes, long coreBase, long coreSize, long refcnt) {

    /** {@code MODULE_NAME_LEN} on 64-bit kernels: {@code 64 - sizeof(unsigned long)}. */
    static final int MODULE_NAME_LEN = 56;

    static ModuleLayout from(KernelProfile profile) {
        StructLayout module = profile.struct("module");
        StructMember core = module.member("core_layout").orElseThrow(() -> unsupported(module));
        if (!core.typeName().equals("struct module_layout")) {
            throw new ProfileException("module.core_layout is '" + core.typeName()
                    + "', expected 'struct module_layout'");
        }
        StructLayout coreLayout = profile.struct("module_layout");
        StructMember name = module.member("name")
                .orElseThrow(() -> new ProfileException("struct module has no member 'name'"));
        int nameBytes = name.sizeBits() > 0 ? (int) Math.min(64, name.sizeBits() / 8) : MODULE_NAME_LEN;
        long refcnt = module.member("refcnt").map(StructMember::offsetBytes).orElse(-1L);
        return new ModuleLayout(module.offsetOf("state"), module.offsetOf("list"), name.offsetBytes(), nameBytes,
                core.offsetBytes() + coreLayout.offsetOf("base"), core.offsetBytes() + coreLayout.offsetOf("size"),
                refcnt);
    }

    private static ProfileException unsupported(StructLayout module) {
        if (module.member("mem").isPresent()) {
            return new ProfileException("struct module has 'mem' (the module_memory layout of Linux 6.4 and"
                    + " later), which the module walker does not support: it reads 'core_layout' (Linux 4.5 to 6.3)");
        }
        return new ProfileException("struct module has neither 'core_layout' (Linux 4.5 to 6.3) nor 'mem'"
                + " (6.4 and later): unsupported module layout");
    }
}
