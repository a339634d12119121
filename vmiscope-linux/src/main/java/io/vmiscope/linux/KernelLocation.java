package io.vmiscope.linux;

import io.vmiscope.api.Hex;

/**
 * Where a running kernel sits.
 *
 * @param slide     the KASLR virtual slide: runtime address minus link-time address (0 with nokaslr)
 * @param kernelCr3 the physical address of the kernel's top-level page table ({@code init_top_pgt})
 * @param method    how it was found, for the user and the logs
 */
public record KernelLocation(long slide, long kernelCr3, String method) {

    @Override
    public String toString() {
        return "slide " + Hex.address(slide) + ", kernel page tables at " + Hex.address(kernelCr3) + " (" + method + ")";
    }
}
