package io.vmiscope.api;

/**
 * A guest virtual address. Any 64-bit value is representable (guest pointers are hostile and may be
 * non-canonical); {@link #isCanonical()} tells whether the CPU could use it at all.
 */
public record Gva(long value) implements Comparable<Gva> {

    public static Gva of(long value) {
        return new Gva(value);
    }

    /** x86-64 with 4-level paging: bits 63..47 all equal (Intel SDM 3A §3.3.7.1). */
    public boolean isCanonical() {
        return isCanonical(48);
    }

    /** Canonical for the given virtual-address width (48 for 4-level, 57 for 5-level paging). */
    public boolean isCanonical(int addressBits) {
        long top = value >> (addressBits - 1);
        return top == 0 || top == -1;
    }

    /** True for the upper (kernel) half of the address space. */
    public boolean isKernelHalf() {
        return value < 0;
    }

    public Gva plus(long offsetBytes) {
        return new Gva(value + offsetBytes);
    }

    @Override
    public int compareTo(Gva other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return Hex.address(value);
    }
}
