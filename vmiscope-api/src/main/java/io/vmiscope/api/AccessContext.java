package io.vmiscope.api;

/**
 * How to resolve one address, as one value (after LibVMI's access context): a kernel virtual address
 * (through the kernel's page tables), a process virtual address (through that process's page-table
 * base, its CR3 value), or a physical address.
 */
public sealed interface AccessContext {

    static AccessContext kernel(Gva address) {
        return new Kernel(address);
    }

    static AccessContext process(Gva address, long cr3) {
        return new Process(address, cr3);
    }

    static AccessContext physical(Gpa address) {
        return new Physical(address);
    }

    /** The same kind of context, moved by {@code offsetBytes}. */
    AccessContext plus(long offsetBytes);

    record Kernel(Gva address) implements AccessContext {
        @Override
        public AccessContext plus(long offsetBytes) {
            return new Kernel(address.plus(offsetBytes));
        }

        @Override
        public String toString() {
            return "kernel " + address;
        }
    }

    /** @param cr3 the page-table base as found in CR3 (flag and PCID bits are ignored by translation) */
    record Process(Gva address, long cr3) implements AccessContext {
        @Override
        public AccessContext plus(long offsetBytes) {
            return new Process(address.plus(offsetBytes), cr3);
        }

        @Override
        public String toString() {
            return "process " + address + " (cr3 " + Hex.address(cr3) + ")";
        }
    }

    record Physical(Gpa address) implements AccessContext {
        @Override
        public AccessContext plus(long offsetBytes) {
            return new Physical(address.plus(offsetBytes));
        }

        @Override
        public String toString() {
            return "physical " + address;
        }
    }
}
