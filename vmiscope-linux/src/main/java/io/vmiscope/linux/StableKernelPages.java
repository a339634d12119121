package io.vmiscope.linux;

import io.vmiscope.api.AccessContext;
import io.vmiscope.api.GuestAccessException;
import io.vmiscope.api.Gva;
import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.x86.GuestMemory;

import java.util.function.LongPredicate;

/**
 * The kernel's virtual pages whose translation never changes while the guest runs, so that
 * {@link GuestMemory} may keep it across stops without confirming it: the direct map of physical
 * memory (virtual = physical + {@code page_offset_base}, whatever the page tables say about
 * permissions or page sizes) and the kernel image ({@code __START_KERNEL_map}, 1 GiB). Slab objects
 * ({@code task_struct}, {@code cred}), the per-CPU areas and kernel data all live there; kernel
 * stacks ({@code vmalloc}) and user memory do not, and are confirmed at every stop instead.
 */
final class StableKernelPages implements LongPredicate {

    /** x86-64 {@code __START_KERNEL_map}, and the 1 GiB image space above it (KERNEL_IMAGE_SIZE with KASLR). */
    static final long KERNEL_IMAGE_START = 0xffffffff80000000L;
    static final long KERNEL_IMAGE_BYTES = 1L << 30;
    /** {@code __PAGE_OFFSET_BASE_L4}: the direct map's base without memory randomisation. */
    static final long DEFAULT_DIRECT_MAP = 0xffff888000000000L;
    /**
     * How much of the direct map is taken as stable: with memory randomisation the next region (vmalloc)
     * starts at least the guest's RAM + {@code CONFIG_RANDOMIZE_MEMORY_PHYSICAL_PADDING} (10 TiB) above
     * the base (arch/x86/mm/kaslr.c); without it, 64 TiB above. Guests with more RAM than this simply have
     * the rest confirmed at every stop.
     */
    static final long DIRECT_MAP_BYTES = 1L << 40;

    private final long directMap;

    StableKernelPages(long directMapBase) {
        this.directMap = directMapBase;
    }

    /** Reads {@code page_offset_base} when the kernel has it (memory randomisation), else the fixed base. */
    static StableKernelPages of(GuestMemory memory, KernelProfile profile, long slide) {
        long base = DEFAULT_DIRECT_MAP;
        if (profile.findSymbol("page_offset_base").isPresent()) {
            try {
                base = memory.readU64(AccessContext.kernel(Gva.of(profile.symbol("page_offset_base") + slide)));
            } catch (GuestAccessException e) {
                return new StableKernelPages(0); // unknown: only the kernel image counts as stable
            }
        }
        return new StableKernelPages(base);
    }

    @Override
    public boolean test(long virtualPage) {
        return (directMap != 0 && Long.compareUnsigned(virtualPage - directMap, DIRECT_MAP_BYTES) < 0)
                || Long.compareUnsigned(virtualPage - KERNEL_IMAGE_START, KERNEL_IMAGE_BYTES) < 0;
    }
}
