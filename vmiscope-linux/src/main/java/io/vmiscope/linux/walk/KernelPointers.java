package io.vmiscope.linux.walk;

import io.vmiscope.api.Gva;

/** Plausibility checks for pointers read from guest kernel memory, before they are followed. */
public final class KernelPointers {

    private KernelPointers() {
    }

    /**
     * True when {@code value} could point at a kernel object: canonical for {@code addressBits},
     * in the upper half, aligned to {@code alignBytes} (a power of two).
     */
    public static boolean isPlausible(long value, int addressBits, int alignBytes) {
        Gva gva = Gva.of(value);
        return gva.isKernelHalf() && gva.isCanonical(addressBits) && (value & (alignBytes - 1)) == 0;
    }
}
