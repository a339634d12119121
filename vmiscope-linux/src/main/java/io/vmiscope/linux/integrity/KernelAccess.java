package io.vmiscope.linux.integrity;

import io.vmiscope.linux.profile.KernelProfile;
import io.vmiscope.linux.walk.WalkLimits;
import io.vmiscope.x86.GuestMemory;

/**
 * What an integrity check reads the kernel through: the guest's memory (valid while the VM is stopped), the
 * profile, the KASLR slide and the bounds of every walk.
 *
 * @param slide        live address − link-time address of kernel symbols
 * @param maxReadBytes the transport's largest single read, so that nearby fields share one read
 * @param cpus         how many CPUs the guest has (its vCPUs)
 */
public record KernelAccess(GuestMemory memory, KernelProfile profile, long slide, WalkLimits limits,
                           int maxReadBytes, int cpus) {

    public KernelAccess {
        if (cpus <= 0 || maxReadBytes <= 0) {
            throw new IllegalArgumentException("cpus and maxReadBytes must be positive");
        }
    }

    /** The runtime address of a kernel (non-per-CPU) symbol. */
    public long address(String symbol) {
        return profile.symbol(symbol) + slide;
    }

    /** Bits of a canonical virtual address in the guest's paging mode. */
    public int addressBits() {
        return memory.mode().virtualAddressBits();
    }

    /** Reads 64-bit words of kernel memory. */
    public KernelWords words() {
        return new GuestWords(memory);
    }
}
